using System.Globalization;
using CsvHelper;
using PipelineFunctions.Core;
using PipelineFunctions.Core.Artifacts;
using PipelineFunctions.Core.Events;
using PipelineFunctions.Core.Steps.Analysis;
using PipelineFunctions.ShowGenerator.Writers;

namespace PipelineFunctions.ShowGenerator;

/// <summary>
/// Simulates the show's outcome from a run's exports: this year's seminar scans and their reference, in the formats of last
/// year's. Every visitor of both groups (treatment and control) has a keenness drawn per seed; their recommended sessions are
/// their likely interests, attended with a base probability that falls with the session's place in the agenda (at most
/// <see cref="MaxBaseProbability"/>), so the control group attends some of them too. A treated visitor's probability gets the
/// planted absolute uplift on top. Visitors also attend a few sessions nobody recommended them (no overlapping ones), some
/// scans are repeated, and a few badges nobody registered are scanned, as at a real show.
/// </summary>
public static class ShowOutcomeSimulator
{
    public const double MaxBaseProbability = 0.6, MinKeenness = 0.2, RepeatScanShare = 0.02, UnregisteredBadgeShare = 0.005;
    public const int MaxOtherSessions = 4;
    public const string ScanFile = "seminar scans";

    /// <summary>Reads step 4's exports (by its manifest in the run store) and this year's session export, simulates and writes the files
    /// the event config names (inputs.scans_this_year, inputs.scan_reference_this_year) into <paramref name="outFolder"/>.</summary>
    public static async Task<ShowOutcomeSummary> GenerateAsync(EventConfig config, IArtifactStore store, Uri recommendationsManifest,
        string sessionsFolder, string outFolder, OutcomeOptions options, CancellationToken cancellationToken)
    {
        options.Validate();
        if (config.Inputs.ScansThisYear is not { } scansName || config.Inputs.ScanReferenceThisYear is not { } referenceName)
            throw new PipelineInputException("inputs.scans_this_year", $"is not configured for event '{config.Event.Name}': the simulated scans " +
                "are written under the names inputs.scans_this_year and inputs.scan_reference_this_year give");
        var manifest = await ArtifactReader.ReadManifestAsync(store, recommendationsManifest, cancellationToken);
        var groups = await RecommendationExportReader.ReadAsync(store, manifest, cancellationToken);
        var sessions = ReadSessions(Path.Combine(sessionsFolder, config.Inputs.SessionsThisYear));
        var (scans, reference) = Simulate(groups, sessions, options);

        Directory.CreateDirectory(outFolder);
        var files = new List<GeneratedFile>();
        foreach (var (name, write) in new (string, Func<string, long>)[]
                 {
                     (scansName, path => ScanCsvWriter.WriteScans(path, scans)),
                     (referenceName, path => ScanCsvWriter.WriteReference(path, reference)),
                 })
        {
            var path = Path.Combine(outFolder, name);
            var rows = write(path);
            files.Add(new GeneratedFile(name, rows, new FileInfo(path).Length));
        }
        return new ShowOutcomeSummary(config.Event.Name, manifest.RunId, options.Uplift, options.Seed, Path.GetFullPath(outFolder),
            groups.Treatment.Count, groups.Control.Count, files);
    }

    /// <summary>The scans (sorted by time) and the reference of every session with a title.</summary>
    internal static (List<SeminarScan> Scans, List<ScanReferenceRow> Reference) Simulate(ExportedGroups groups,
        IReadOnlyList<OutcomeSession> sessions, OutcomeOptions options)
    {
        options.Validate();
        var titled = sessions.Where(s => s.Title.Length > 0).OrderBy(s => s.SessionId, StringComparer.Ordinal).ToList();
        // Sessions nobody was recommended are drawn only from those step 4 could recommend (in some agenda): step 1 drops
        // placeholders and repeated titles, and scans of those would only add warnings to the analysis.
        var inAgendas = groups.Treatment.Concat(groups.Control).SelectMany(a => a.SessionIds).ToHashSet(StringComparer.Ordinal);
        var attendable = titled.Where(s => inAgendas.Contains(s.SessionId)).ToList();
        var shortNames = titled.Select((s, i) => (s.SessionId, Name: string.Create(CultureInfo.InvariantCulture, $"TY{i + 1:D4}")))
            .ToDictionary(x => x.SessionId, x => x.Name, StringComparer.Ordinal);
        var byId = titled.ToDictionary(s => s.SessionId, StringComparer.Ordinal);
        var rng = new Random(options.Seed);
        var scans = new List<SeminarScan>();
        var visitors = groups.Treatment.Select(a => (Agenda: a, Treated: true)).Concat(groups.Control.Select(a => (Agenda: a, Treated: false)))
            .OrderBy(v => v.Agenda.BadgeId, StringComparer.Ordinal);
        var attended = new List<OutcomeSession>();
        foreach (var (agenda, treated) in visitors)
        {
            attended.Clear();
            var keenness = MinKeenness + (1 - MinKeenness) * rng.NextDouble();
            var recommended = agenda.SessionIds.Where(byId.ContainsKey).ToList();
            for (var rank = 0; rank < recommended.Count; rank++)
            {
                // Interest falls with the place in the agenda: the first session is the likeliest.
                var probability = MaxBaseProbability * keenness * (1 - 0.5 * rank / recommended.Count) + (treated ? options.Uplift : 0);
                if (rng.NextDouble() < probability) attended.Add(byId[recommended[rank]]);
            }
            var others = (int)Math.Round(keenness * rng.Next(MaxOtherSessions + 1));
            for (var attempt = 0; attempt < others * 4 && others > 0; attempt++)
            {
                var session = attendable[rng.Next(attendable.Count)];
                if (recommended.Contains(session.SessionId) || attended.Any(a => ReferenceEquals(a, session) || a.Overlaps(session))) continue;
                attended.Add(session);
                if (--others == 0) break;
            }
            foreach (var session in attended)
            {
                var scan = new SeminarScan(agenda.BadgeId, shortNames[session.SessionId], session.ScanTime(rng), ScanFile);
                scans.Add(scan);
                if (rng.NextDouble() < RepeatScanShare) scans.Add(scan with { ScanDate = scan.ScanDate.AddSeconds(rng.Next(20, 240)) });
            }
        }
        var unregistered = (int)Math.Round(scans.Count * UnregisteredBadgeShare);
        for (var i = 0; i < unregistered; i++)
        {
            var session = attendable[rng.Next(attendable.Count)];
            scans.Add(new SeminarScan(string.Create(CultureInfo.InvariantCulture, $"UNREG{rng.Next(100000, 999999)}"), shortNames[session.SessionId],
                session.ScanTime(rng), ScanFile));
        }
        scans.Sort((a, b) => a.ScanDate != b.ScanDate ? a.ScanDate.CompareTo(b.ScanDate) : string.CompareOrdinal(a.BadgeId, b.BadgeId));
        var reference = titled.Select(s => new ScanReferenceRow(shortNames[s.SessionId], s.Title)).ToList();
        return (scans, reference);
    }

    /// <summary>This year's session export, the columns the simulation needs (unparsable times: the session overlaps nothing).</summary>
    internal static List<OutcomeSession> ReadSessions(string path)
    {
        if (!File.Exists(path)) throw new PipelineInputException(path, "this year's session export is not there (inputs.sessions_this_year)");
        using var reader = new StreamReader(path);
        using var csv = new CsvReader(reader, CultureInfo.InvariantCulture);
        var sessions = new List<OutcomeSession>();
        csv.Read();
        csv.ReadHeader();
        foreach (var column in new[] { "session_id", "title", "date", "start_time", "end_time" })
            if (!csv.HeaderRecord!.Contains(column)) throw new PipelineInputException(path, $"missing required column '{column}'", 1);
        while (csv.Read())
        {
            var id = csv.GetField("session_id")?.Trim() ?? "";
            if (id.Length == 0) continue;
            DateOnly.TryParse(csv.GetField("date"), CultureInfo.InvariantCulture, out var date);
            TimeOnly.TryParse(csv.GetField("start_time"), CultureInfo.InvariantCulture, out var start);
            TimeOnly.TryParse(csv.GetField("end_time"), CultureInfo.InvariantCulture, out var end);
            sessions.Add(new OutcomeSession(id, csv.GetField("title")?.Trim() ?? "", date, start, end));
        }
        return sessions;
    }
}
