using System.Diagnostics;
using Microsoft.Extensions.Logging;
using PipelineFunctions.Core.Artifacts;
using PipelineFunctions.Core.Events;
using PipelineFunctions.Core.Inputs;
using PipelineFunctions.Core.Steps.DataPreparation;
using PipelineFunctions.Core.Telemetry;
using Names = PipelineFunctions.Core.Telemetry.PipelineTelemetryNames;

namespace PipelineFunctions.Core.Steps.Analysis;

/// <summary>
/// After the show: matches this year's seminar scans to this year's sessions by step 1's rules, and compares the visitors who
/// received their agenda (treatment) with the withheld control group, per metric and segment. Publishes analysis.json,
/// analysis.csv and, last, the manifest in runs/&lt;event&gt;/&lt;runId&gt;/post_show_analysis/; a failed publication withdraws
/// what it wrote. Its headline figures go to the log (event <see cref="Names.PostShowAnalysis.EventId"/>) and the pipeline's meter.
/// </summary>
public sealed class PostShowAnalysisStep(ILogger<PostShowAnalysisStep> logger, TimeProvider time)
{
    public const string StepName = "post_show_analysis";
    public const string AnalysisJson = "analysis.json";
    public const string AnalysisCsvName = "analysis.csv";

    public static ArtifactPath OutputFolder(string eventName, string runId) => RunFolders.StepFolder(eventName, runId, StepName);

    /// <summary>Whether the event's config names this year's scans (and their reference).</summary>
    public static bool ScansConfigured(EventConfig config) => config.Inputs is { ScansThisYear: not null, ScanReferenceThisYear: not null };

    /// <summary>For the planner: this year's scans are configured and both files are in the input store, so the analysis can run.</summary>
    public static async Task<bool> ScansPresentAsync(EventConfig config, IArtifactStore inputs, CancellationToken cancellationToken = default)
    {
        if (!ScansConfigured(config)) return false;
        foreach (var name in new[] { config.Inputs.ScansThisYear!, config.Inputs.ScanReferenceThisYear! })
            if (!ArtifactPath.TryParse(name, out var path, out _) || !await inputs.ExistsAsync(path, cancellationToken)) return false;
        return true;
    }

    public async Task<PostShowAnalysisResult> RunAsync(PostShowAnalysisRequest request, CancellationToken cancellationToken = default)
    {
        var config = request.Config;
        using var scope = logger.BeginScope(new Dictionary<string, object>
        {
            ["event"] = config.Event.Name, ["runId"] = request.RunId, ["step"] = StepName
        });
        var folder = OutputFolder(config.Event.Name, request.RunId);
        var watch = Stopwatch.StartNew();
        if (!ScansConfigured(config))
            throw new PipelineInputException(config.Inputs.ScansThisYear is null ? "inputs.scans_this_year" : "inputs.scan_reference_this_year",
                $"is not configured for event '{config.Event.Name}': name this year's seminar scans and their reference " +
                "(inputs.scans_this_year, inputs.scan_reference_this_year) in the event config to analyse the show");

        var recommendations = await ArtifactReader.ReadManifestAsync(request.Store, request.RecommendationsManifest, cancellationToken);
        var groups = await RecommendationExportReader.ReadAsync(request.Store, recommendations, cancellationToken);
        if (groups.Control.Count == 0)
            throw new PipelineInputException(request.RecommendationsManifest.ToString(),
                "the run's step 4 withheld no control group (recommendation.control_group): there is nothing to compare the agendas with");
        if (groups.Treatment.Count == 0)
            throw new PipelineInputException(request.RecommendationsManifest.ToString(), "the run's step 4 sent no agenda: nothing to analyse");

        var warnings = new PreparationWarnings();
        var (sessions, sessionsDigest) = await ReadSessionsAsync(config, request.Inputs, cancellationToken);
        var (reference, referenceDigest) = await ReadReferenceAsync(config.Inputs.ScanReferenceThisYear!, request.Inputs, warnings,
            cancellationToken);
        var badges = new HashSet<string>(groups.Treatment.Concat(groups.Control).Select(a => a.BadgeId), StringComparer.Ordinal);
        ScanOutcome scans;
        InputFileDigest scansDigest;
        await using (var file = await InputFile.OpenAsync(request.Inputs, config.Inputs.ScansThisYear!, cancellationToken))
        {
            scans = new ScanProcessor(warnings).Process(CheckedScans(file), reference, sessions, badges, warnUnknownBadges: true);
            scansDigest = await file.FinishAsync(cancellationToken);
        }

        var attended = scans.Attended.GroupBy(a => a.BadgeId, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.Select(a => a.SessionId).ToHashSet(StringComparer.Ordinal), StringComparer.Ordinal);
        var k = config.Recommendation.MaxRecommendations;
        var comparisons = Compare(groups, attended, k);
        var counts = new SortedDictionary<string, long>(scans.Counts.ToDictionary(c => c.Key, c => c.Value), StringComparer.Ordinal);
        foreach (var code in new[] { WarningCodes.UnknownScanShortName, WarningCodes.UnmatchedSeminar, WarningCodes.UnknownScanBadge })
            counts.TryAdd(SkipCount(code), 0);
        var report = new AnalysisReport(StepName, config.Event.Name, request.RunId, recommendations.RunId, k, time.GetUtcNow(),
            groups.Treatment.Count, groups.Control.Count, counts, comparisons, warnings.ToList());

        var consumed = new List<ManifestInput>
        {
            Consumed(scansDigest), Consumed(referenceDigest), Consumed(sessionsDigest),
            Consumed(recommendations.Output(Recommendations.RecommendationStep.RecommendationsJson)),
            Consumed(recommendations.Output(Recommendations.RecommendationStep.ControlJson)),
        };
        var (manifestUri, manifest) = await PublishAsync(request.Store, folder, config.Event.Name, request.RunId, consumed,
            [(AnalysisJson, PipelineJson.Serialize(report), null), (AnalysisCsvName, AnalysisCsv.Render(comparisons), comparisons.Count)],
            cancellationToken);

        var headline = report.Find(AnalysisMetrics.AttendedRecommendedShare);
        EmitTelemetry(config.Event.Name, request.RunId, headline);
        var metrics = new SortedDictionary<string, long>(counts, StringComparer.Ordinal)
        {
            ["treatment_visitors"] = groups.Treatment.Count, ["control_visitors"] = groups.Control.Count,
            ["warnings"] = report.Warnings.Sum(w => (long)w.Count),
        };
        logger.LogInformation("Analysed {Treatment} treated and {Control} control visitors against {Scans} scans in {ElapsedMs} ms",
            groups.Treatment.Count, groups.Control.Count, counts.GetValueOrDefault("scans_read"), watch.ElapsedMilliseconds);
        return new PostShowAnalysisResult(manifestUri, manifest, manifest.Output(AnalysisJson).Uri, manifest.Output(AnalysisCsvName).Uri,
            metrics, report.Warnings, report);
    }

    /// <summary>The count the scan matching keeps for the scans a warning code skips.</summary>
    private static string SkipCount(string code) => code switch
    {
        WarningCodes.UnknownScanShortName => "skipped_unknown_short_name",
        WarningCodes.UnmatchedSeminar => "skipped_unmatched_seminar",
        _ => "skipped_unknown_badge",
    };

    /// <summary>Every metric in every segment; strategies in name order.</summary>
    internal static List<MetricComparison> Compare(ExportedGroups groups, IReadOnlyDictionary<string, HashSet<string>> attended, int k)
    {
        var segments = new List<(string Name, Func<AnalysedAgenda, bool> Member)>
        {
            (AnalysisMetrics.AllVisitors, _ => true),
        };
        foreach (var strategy in groups.Treatment.Concat(groups.Control).Select(a => a.Strategy).Distinct().Order(StringComparer.Ordinal))
            segments.Add((AnalysisMetrics.StrategyPrefix + strategy, a => a.Strategy == strategy));
        segments.Add((AnalysisMetrics.Returning, a => a.Returning));
        segments.Add((AnalysisMetrics.New, a => !a.Returning));

        VisitorOutcome Outcome(AnalysedAgenda agenda)
        {
            var sessions = attended.TryGetValue(agenda.BadgeId, out var set) ? set : (IReadOnlySet<string>)new HashSet<string>();
            var recommended = agenda.SessionIds.Count(sessions.Contains);
            var first = agenda.SessionIds.Take(k).ToList();
            var hitRate = first.Count == 0 ? 0 : (double)first.Count(sessions.Contains) / first.Count;
            return new VisitorOutcome(recommended > 0, recommended, hitRate, sessions.Count);
        }
        var treatment = groups.Treatment.Select(a => (Agenda: a, Outcome: Outcome(a))).ToList();
        var control = groups.Control.Select(a => (Agenda: a, Outcome: Outcome(a))).ToList();

        var rows = new List<MetricComparison>();
        foreach (var (name, member) in segments)
        {
            var t = treatment.Where(x => member(x.Agenda)).Select(x => x.Outcome).ToList();
            var c = control.Where(x => member(x.Agenda)).Select(x => x.Outcome).ToList();
            rows.Add(UpliftStatistics.Shares(AnalysisMetrics.AttendedRecommendedShare, name, t.Count(o => o.AttendedRecommended), t.Count,
                c.Count(o => o.AttendedRecommended), c.Count));
            rows.Add(UpliftStatistics.Means(AnalysisMetrics.RecommendedSessionsAttended, name, t.Select(o => (double)o.Recommended).ToList(),
                c.Select(o => (double)o.Recommended).ToList()));
            rows.Add(UpliftStatistics.Means(AnalysisMetrics.HitRateAtK, name, t.Select(o => o.HitRate).ToList(), c.Select(o => o.HitRate).ToList()));
            rows.Add(UpliftStatistics.Means(AnalysisMetrics.SessionsAttended, name, t.Select(o => (double)o.Sessions).ToList(),
                c.Select(o => (double)o.Sessions).ToList()));
        }
        return rows;
    }

    private readonly record struct VisitorOutcome(bool AttendedRecommended, int Recommended, double HitRate, int Sessions);

    private void EmitTelemetry(string eventName, string runId, MetricComparison headline)
    {
        var tags = new KeyValuePair<string, object?>(Names.Attributes.Event, eventName);
        if (headline.Difference is { } uplift) PipelineDiagnostics.AttendanceUplift.Record(uplift, tags);
        if (headline.CiLow is { } low) PipelineDiagnostics.AttendanceUpliftCiLow.Record(low, tags);
        if (headline.CiHigh is { } high) PipelineDiagnostics.AttendanceUpliftCiHigh.Record(high, tags);
        if (headline.PValue is { } p) PipelineDiagnostics.AttendanceUpliftPValue.Record(p, tags);
        logger.Log(LogLevel.Information, new EventId(Names.PostShowAnalysis.EventId, Names.PostShowAnalysis.EventName),
            "Post-show analysis of {Event} run {RunId}: attendance uplift {Uplift} (95 % CI {CiLow} to {CiHigh}, p = {PValue}), " +
            "{Treatment} treated against {Control} control visitors",
            eventName, runId, headline.Difference, headline.CiLow, headline.CiHigh, headline.PValue, headline.TreatmentVisitors,
            headline.ControlVisitors);
    }

    /// <summary>The scans as step 1 reads them, with the checks the analysis needs on top: a file without scans, a row without badge or
    /// short name, is an error, not something to skip.</summary>
    private static IEnumerable<SeminarScanRow> CheckedScans(InputFile file)
    {
        var any = false;
        foreach (var scan in SeminarScanReaders.ReadScans(file))
        {
            any = true;
            if (scan.BadgeId.Length == 0) throw new PipelineInputException(file.DisplayName, "the scan has no badge id", scan.Row, "Badge Id");
            if (scan.ShortName.Length == 0) throw new PipelineInputException(file.DisplayName, "the scan has no short name", scan.Row, "Short Name");
            yield return scan;
        }
        if (!any) throw new PipelineInputException(file.DisplayName, "the file has a header but no scans: there is no attendance to analyse");
    }

    private static async Task<(IReadOnlyList<PreparedSession> Sessions, InputFileDigest Digest)> ReadSessionsAsync(EventConfig config,
        IArtifactStore inputs, CancellationToken cancellationToken)
    {
        await using var file = await InputFile.OpenAsync(inputs, config.Inputs.SessionsThisYear, cancellationToken);
        var rows = SessionExportReader.Read(file);
        // Step 1 reported the session export's problems already: its warnings are not repeated here.
        var sessions = new SessionProcessor(config, new PreparationWarnings()).Process(rows, [], []).ThisYear;
        return (sessions, await file.FinishAsync(cancellationToken));
    }

    private static async Task<(Dictionary<string, string> Reference, InputFileDigest Digest)> ReadReferenceAsync(string name, IArtifactStore inputs,
        PreparationWarnings warnings, CancellationToken cancellationToken)
    {
        await using var file = await InputFile.OpenAsync(inputs, name, cancellationToken);
        var reference = SeminarScanReaders.ReadReference(file, warnings);
        if (reference.Count == 0)
            throw new PipelineInputException(name, "the scan reference holds no short name: no scan could be matched to a session");
        return (reference, await file.FinishAsync(cancellationToken));
    }

    private static ManifestInput Consumed(InputFileDigest digest) => new(digest.Name, digest.Uri, digest.Sha256, digest.Bytes);

    private static ManifestInput Consumed(ManifestOutput output) => new(output.Name, output.Uri, output.Sha256, output.Bytes);

    /// <summary>Outputs first, the manifest last; on a failure what was written is withdrawn, so nothing partial is published.</summary>
    private async Task<(Uri Uri, ArtifactManifest Manifest)> PublishAsync(IArtifactStore store, ArtifactPath folder, string eventName,
        string runId, List<ManifestInput> inputs, IReadOnlyList<(string Name, byte[] Content, long? Rows)> files,
        CancellationToken cancellationToken)
    {
        var written = new List<ArtifactPath>();
        try
        {
            var outputs = new List<ManifestOutput>();
            foreach (var (name, content, rows) in files)
            {
                var path = folder.Combine(name);
                written.Add(path);
                var stored = await store.PutAsync(path, new MemoryStream(content), cancellationToken);
                outputs.Add(new ManifestOutput(name, stored.Uri, stored.Sha256, stored.Length, rows));
            }
            var manifest = new ArtifactManifest(StepName, eventName, runId, time.GetUtcNow(), inputs, outputs);
            var manifestPath = folder.Combine(ArtifactManifest.FileName);
            await store.PutAsync(manifestPath, new MemoryStream(PipelineJson.Serialize(manifest)), cancellationToken);
            return (store.GetUri(manifestPath), manifest);
        }
        catch
        {
            await StepOutputs.WithdrawAsync(store, written, logger);
            throw;
        }
    }
}
