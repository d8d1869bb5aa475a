using System.Globalization;
using CsvHelper;
using CsvHelper.Configuration;

namespace PipelineFunctions.Infrastructure.Tests.Embeddings;

/// <summary>Session texts (title + synopsis + theatre + streams) from the committed session exports under samples/.</summary>
public static class SampleSessionTexts
{
    /// <summary>Every titled session of every session export of one sample event (this year's and past shows).</summary>
    public static IReadOnlyList<SampleSession> Of(string eventName) =>
        Directory.GetFiles(Path.Combine(RepositoryRoot, "samples", eventName), "*_session_export.csv")
            .Order(StringComparer.Ordinal)
            .SelectMany(Read)
            .ToList();

    /// <summary>
    /// Exactly <paramref name="count"/> texts: all sample sessions of both events, then (once those run out) each title
    /// recombined with another session's synopsis, so the set has the vocabulary and lengths of a real show's.
    /// </summary>
    public static IReadOnlyList<string> ShowSized(int count)
    {
        var sessions = Of("vet_lva").Concat(Of("ecomm")).ToList();
        var texts = sessions.Select(s => s.Text).Take(count).ToList();
        for (var i = 0; texts.Count < count; i++)
        {
            var title = sessions[i % sessions.Count].Text.Split(". ", 2)[0];
            var rest = sessions[(i * 7 + 3) % sessions.Count].Text.Split(". ", 2)[^1];
            texts.Add($"{title}. {rest}");
        }
        return texts;
    }

    private static IEnumerable<SampleSession> Read(string path)
    {
        using var reader = new StreamReader(path);
        using var csv = new CsvReader(reader, new CsvConfiguration(CultureInfo.InvariantCulture));
        csv.Read();
        csv.ReadHeader();
        var sessions = new List<SampleSession>();
        while (csv.Read())
        {
            var title = csv.GetField("title")?.Trim() ?? "";
            if (title.Length == 0) continue; // the importer quarantines untitled sessions; step 3 never sees them
            var streams = (csv.GetField("stream") ?? "").Split(';', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
            var text = $"{title}. {csv.GetField("synopsis_stripped")} {csv.GetField("theatre__name")}. {string.Join(", ", streams)}";
            sessions.Add(new SampleSession(csv.GetField("session_id")!, text, streams));
        }
        return sessions;
    }

    private static string RepositoryRoot { get; } = FindRepositoryRoot();

    private static string FindRepositoryRoot()
    {
        for (var folder = new DirectoryInfo(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
            if (Directory.Exists(Path.Combine(folder.FullName, "samples", "vet_lva")))
                return folder.FullName;
        throw new InvalidOperationException("no samples/vet_lva above " + AppContext.BaseDirectory);
    }
}
