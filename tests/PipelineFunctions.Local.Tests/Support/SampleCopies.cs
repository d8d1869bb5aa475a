namespace PipelineFunctions.Local.Tests.Support;

/// <summary>Copies of the committed samples, some made wrong on purpose.</summary>
public static class SampleCopies
{
    /// <summary>The message step 1 gives for <see cref="WithBadSessionDate"/>'s input.</summary>
    public const string BadSessionDateError = "LVS25_session_export.csv, row 6, field 'date': '2025/11/2";

    /// <summary>Copies the vet_lva sample to <paramref name="folder"/>, with row 6 of this year's sessions dated 2025/11/2x.</summary>
    public static string WithBadSessionDate(string folder)
    {
        CopyFolder(Repository.Sample("vet_lva"), folder);
        var sessions = System.IO.Path.Combine(folder, "LVS25_session_export.csv");
        var lines = File.ReadAllLines(sessions);
        lines[5] = lines[5].Replace(",2025-11-2", ",2025/11/2", StringComparison.Ordinal);
        File.WriteAllLines(sessions, lines);
        return sessions;
    }

    /// <summary>Copies the files of <paramref name="from"/> (not its subfolders) into <paramref name="to"/>, created if missing.</summary>
    public static void CopyFolder(string from, string to)
    {
        Directory.CreateDirectory(to);
        foreach (var file in Directory.GetFiles(from)) File.Copy(file, System.IO.Path.Combine(to, System.IO.Path.GetFileName(file)));
    }
}
