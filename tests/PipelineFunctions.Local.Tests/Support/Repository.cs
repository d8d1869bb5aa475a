namespace PipelineFunctions.Local.Tests.Support;

/// <summary>Paths in the repository the tests run from.</summary>
public static class Repository
{
    /// <summary>The nearest ancestor of the test binaries holding config/events.</summary>
    public static string Root { get; } = Find();

    public static string Sample(string eventName) => Path.Combine(Root, "samples", eventName);

    private static string Find()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (Directory.Exists(Path.Combine(dir.FullName, "config", "events"))) return dir.FullName;
        throw new InvalidOperationException("repository root (with config/events) not found above " + AppContext.BaseDirectory);
    }
}

/// <summary>A temporary folder removed at dispose.</summary>
public sealed class TempFolder : IDisposable
{
    public string Path { get; } = Directory.CreateTempSubdirectory("pa-tests-").FullName;

    public string Combine(params string[] parts) => System.IO.Path.Combine([Path, .. parts]);

    public void Dispose()
    {
        try { Directory.Delete(Path, recursive: true); } catch (IOException) { } // a leftover temp folder is harmless
    }
}

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
