using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using System.Globalization;
using CsvHelper;
using Microsoft.Extensions.Logging;
using PipelineFunctions.Core;
using PipelineFunctions.Core.Artifacts;
using PipelineFunctions.Core.Events;
using PipelineFunctions.Core.Steps.Analysis;
using PipelineFunctions.Core.Telemetry;
using PipelineFunctions.Infrastructure.Artifacts;
using PipelineFunctions.Local.Tests.Support;
using Names = PipelineFunctions.Core.Telemetry.PipelineTelemetryNames.PostShowAnalysis;

namespace PipelineFunctions.Local.Tests.Analysis;

/// <summary>The post-show analysis step on a real run's exports and simulated scans: what it publishes, its warnings and its errors.</summary>
[Collection(AnalysedShowCollection.Name)]
public sealed class PostShowAnalysisStepTests(AnalysedShowFixture show)
{
    private string ScansName => show.Config.Inputs.ScansThisYear!;
    private string ReferenceName => show.Config.Inputs.ScanReferenceThisYear!;

    [Fact]
    public async Task It_publishes_json_csv_and_manifest_in_the_run_folder_with_one_row_per_metric_and_segment()
    {
        await show.SimulateAsync(0.1, seed: 11);
        var result = await show.AnalyseAsync();
        var report = result.Report;

        Assert.Equal(PostShowAnalysisStep.StepName, result.Manifest.Step);
        Assert.Equal(show.Store.GetUri(ArtifactPath.Parse($"runs/vet_lva/{AnalysedShowFixture.RunId}/post_show_analysis/manifest.json")),
            result.ManifestUri);
        Assert.Equal([PostShowAnalysisStep.AnalysisJson, PostShowAnalysisStep.AnalysisCsvName], result.Manifest.Outputs.Select(o => o.Name));
        Assert.Equal(5, result.Manifest.Inputs.Count);

        // The groups are step 4's: everyone with an agenda, split into the control group and the rest.
        var counts = show.Recommendations.Counts;
        Assert.Equal(counts["control_group"], report.ControlVisitors);
        Assert.Equal(counts["visitors_with_recommendations"] - counts["control_group"], report.TreatmentVisitors);
        var segments = report.Metrics.Select(m => m.Segment).Distinct().ToList();
        Assert.Equal(AnalysisMetrics.All.Count * segments.Count, report.Metrics.Count);
        Assert.Contains(AnalysisMetrics.Returning, segments);
        Assert.Contains(AnalysisMetrics.New, segments);
        var strategies = segments.Where(s => s.StartsWith(AnalysisMetrics.StrategyPrefix, StringComparison.Ordinal)).ToList();
        Assert.NotEmpty(strategies);
        foreach (var metric in AnalysisMetrics.All)
        {
            var all = report.Find(metric);
            Assert.Equal(all.TreatmentVisitors + all.ControlVisitors,
                strategies.Sum(s => report.Find(metric, s).TreatmentVisitors + report.Find(metric, s).ControlVisitors));
            Assert.Equal(all.TreatmentVisitors, report.Find(metric, AnalysisMetrics.Returning).TreatmentVisitors +
                report.Find(metric, AnalysisMetrics.New).TreatmentVisitors);
        }

        // Every simulated scan of an analysed visitor matches: sessions attended per visitor is the distinct (badge, short name) pairs.
        Assert.Equal(0, report.ScanCounts["skipped_unknown_short_name"] + report.ScanCounts["skipped_unmatched_seminar"]);
        var scans = ReadCsv(Path.Combine(show.ShowFolder, ScansName));
        var treated = TreatedBadges();
        var pairs = scans.Where(s => treated.Contains(s["Badge Id"])).Select(s => (s["Badge Id"], s["Short Name"])).Distinct().Count();
        Assert.Equal((double)pairs / treated.Count, report.Find(AnalysisMetrics.SessionsAttended).Treatment!.Value, 9);

        // The CSV holds the report's figures, row for row.
        Assert.True(show.Store.TryGetPath(result.AnalysisCsv, out var csvPath));
        var rows = ReadCsv(Path.Combine(show.StorePath, csvPath.Value));
        Assert.Equal(report.Metrics.Count, rows.Count);
        foreach (var (row, metric) in rows.Zip(report.Metrics))
        {
            Assert.Equal((metric.Metric, metric.Segment, metric.Test), (row["metric"], row["segment"], row["test"]));
            Assert.Equal(metric.Difference!.Value, double.Parse(row["difference"], CultureInfo.InvariantCulture), 6);
            Assert.Equal(metric.PValue is null ? "" : metric.Significant ? "true" : "false", row["significant"]);
        }
    }

    [Fact]
    public async Task Scans_of_unknown_badges_short_names_and_seminars_are_counted_warnings_that_change_no_figure()
    {
        var clean = show.InputFolderWithSessions("warnings-clean");
        await show.SimulateAsync(0.1, seed: 5, clean);
        var before = (await show.AnalyseAsync(clean)).Report;

        var noisy = show.InputFolderWithSessions("warnings-noisy");
        await show.SimulateAsync(0.1, seed: 5, noisy);
        var knownShortName = ReadCsv(Path.Combine(noisy, ScansName))[0]["Short Name"];
        File.AppendAllLines(Path.Combine(noisy, ReferenceName), ["ZZ01,A seminar nobody held"]);
        File.AppendAllLines(Path.Combine(noisy, ScansName),
        [
            $"NOBODY1,{knownShortName},2025-11-20 10:00:00,seminar scans", $"NOBODY2,{knownShortName},2025-11-20 10:00:00,seminar scans",
            $"NOBODY3,{knownShortName},2025-11-20 10:00:00,seminar scans",
            "NOBODY1,NOT-IN-REFERENCE,2025-11-20 10:00:00,seminar scans", "NOBODY1,NOT-IN-REFERENCE-2,2025-11-20 10:00:00,seminar scans",
            "NOBODY4,ZZ01,2025-11-20 10:00:00,seminar scans", "NOBODY4,ZZ01,2025-11-20 10:05:00,seminar scans",
            "NOBODY4,ZZ01,2025-11-20 10:06:00,seminar scans", "NOBODY4,ZZ01,2025-11-20 10:07:00,seminar scans",
        ]);
        var result = await show.AnalyseAsync(noisy);

        int Warned(AnalysisReport r, string code) => r.Warnings.Where(w => w.Code == code).Sum(w => w.Count);
        Assert.Equal(Warned(before, "scan_badge_not_analysed") + 3, Warned(result.Report, "scan_badge_not_analysed"));
        Assert.Equal(2, Warned(result.Report, "scan_short_name_not_in_reference"));
        Assert.Equal(4, Warned(result.Report, "seminar_not_in_session_export"));
        Assert.Equal(2, result.Metrics["skipped_unknown_short_name"]);
        Assert.Equal(4, result.Metrics["skipped_unmatched_seminar"]);
        Assert.Equal(before.ScanCounts["skipped_unknown_badge"] + 3, result.Metrics["skipped_unknown_badge"]);
        Assert.Equal(before.Metrics, result.Report.Metrics);
    }

    [Fact]
    public async Task A_visitor_scanned_twice_into_one_session_counts_once()
    {
        var once = show.InputFolderWithSessions("repeat-once");
        await show.SimulateAsync(0.1, seed: 6, once);
        var before = (await show.AnalyseAsync(once)).Report;
        var twice = show.InputFolderWithSessions("repeat-twice");
        await show.SimulateAsync(0.1, seed: 6, twice);
        var lines = File.ReadAllLines(Path.Combine(twice, ScansName));
        File.AppendAllLines(Path.Combine(twice, ScansName), lines.Skip(1).Take(50));
        var after = (await show.AnalyseAsync(twice)).Report;

        Assert.Equal(before.ScanCounts["repeated_scans"] + 50, after.ScanCounts["repeated_scans"]);
        Assert.Equal(before.ScanCounts["attended_sessions"], after.ScanCounts["attended_sessions"]);
        Assert.Equal(before.Metrics, after.Metrics);
    }

    public static TheoryData<string, string, long?, string?> BadScanFiles => new()
    {
        { "empty", "", null, null },
        { "header only", "Badge Id,Short Name,Scan Date,File\n", null, null },
        { "missing column", "Badge Id,Scan Date,File\nB1,2025-11-20 10:00:00,x\n", 1, null },
        { "extra field", "Badge Id,Short Name,Scan Date,File\nB1,TY0001,2025-11-20 10:00:00,x\nB2,TY0001,2025-11-20 10:00:00,x,extra\n", 3, null },
        { "bad date", "Badge Id,Short Name,Scan Date,File\nB1,TY0001,2025-11-20 10:00:00,x\nB2,TY0001,yesterday,x\n", 3, "Scan Date" },
        { "no badge", "Badge Id,Short Name,Scan Date,File\nB1,TY0001,2025-11-20 10:00:00,x\n,TY0001,2025-11-20 10:00:00,x\n", 3, "Badge Id" },
        { "no short name", "Badge Id,Short Name,Scan Date,File\nB1,,2025-11-20 10:00:00,x\n", 2, "Short Name" },
    };

    [Theory]
    [MemberData(nameof(BadScanFiles))]
    public async Task An_empty_or_malformed_scan_file_is_one_clear_error_naming_file_row_and_field_and_nothing_is_published(string name,
        string content, long? row, string? field)
    {
        var folder = show.InputFolderWithSessions("bad-" + name.Replace(' ', '-'));
        await show.SimulateAsync(0.1, seed: 1, folder);
        await File.WriteAllTextAsync(Path.Combine(folder, ScansName), content);
        var runId = "bad-" + name.Replace(' ', '-');

        var error = await Assert.ThrowsAsync<PipelineInputException>(() => show.AnalyseAsync(folder, runId: runId));

        Assert.Equal(ScansName, error.File);
        Assert.Equal(row, error.Row);
        Assert.Equal(field, error.Field);
        Assert.Contains(ScansName, error.Message);
        Assert.False(Directory.Exists(Path.Combine(show.StorePath, "runs", "vet_lva", runId)), $"the failed analysis {name} published something");
    }

    [Fact]
    public async Task An_empty_scan_reference_is_an_error()
    {
        var folder = show.InputFolderWithSessions("empty-reference");
        await show.SimulateAsync(0.1, seed: 1, folder);
        await File.WriteAllTextAsync(Path.Combine(folder, ReferenceName), "Short Name,Seminar Name\n");
        var error = await Assert.ThrowsAsync<PipelineInputException>(() => show.AnalyseAsync(folder, runId: "bad-reference"));
        Assert.Equal(ReferenceName, error.File);
    }

    [Fact]
    public async Task Unconfigured_or_missing_scans_are_told_apart_before_anything_is_read()
    {
        var folder = show.InputFolderWithSessions("missing-scans");
        Assert.True(PostShowAnalysisStep.ScansConfigured(show.Config));
        Assert.False(await PostShowAnalysisStep.ScansPresentAsync(show.Config, ArtifactStoreLocator.Open(folder)));
        await show.SimulateAsync(0.1, seed: 1, folder);
        Assert.True(await PostShowAnalysisStep.ScansPresentAsync(show.Config, ArtifactStoreLocator.Open(folder)));

        var yaml = File.ReadAllLines(Path.Combine(Repository.Root, "config", "events", "vet_lva.yaml"))
            .Where(l => !l.TrimStart().StartsWith("scans_this_year:", StringComparison.Ordinal)
                        && !l.TrimStart().StartsWith("scan_reference_this_year:", StringComparison.Ordinal));
        var unconfigured = EventConfigLoader.Parse(string.Join('\n', yaml), "vet_lva.yaml");
        Assert.False(PostShowAnalysisStep.ScansConfigured(unconfigured));
        Assert.False(await PostShowAnalysisStep.ScansPresentAsync(unconfigured, ArtifactStoreLocator.Open(folder)));
        var error = await Assert.ThrowsAsync<PipelineInputException>(() => show.AnalyseAsync(folder, unconfigured, runId: "unconfigured"));
        Assert.Equal("inputs.scans_this_year", error.File);
    }

    [Fact]
    public async Task A_failure_while_publishing_withdraws_what_was_written()
    {
        await show.SimulateAsync(0.1, seed: 2);
        var store = new FailingManifestStore(ArtifactStoreLocator.Open(show.StorePath));
        await Assert.ThrowsAsync<IOException>(() => show.AnalyseAsync(store: store, runId: "withdrawn"));
        Assert.NotEmpty(store.Written);
        Assert.Empty(Directory.Exists(Path.Combine(show.StorePath, "runs", "vet_lva", "withdrawn"))
            ? Directory.GetFiles(Path.Combine(show.StorePath, "runs", "vet_lva", "withdrawn"), "*", SearchOption.AllDirectories)
            : []);
    }

    [Fact]
    public async Task The_headline_figures_go_to_the_meter_and_the_log_once_per_analysis()
    {
        // An event name of its own, so no other run's measurements (other tests, other collections) are counted.
        var config = EventConfigLoader.LoadFile(Path.Combine(Repository.Root, "config", "events", "vet_lva.yaml"),
            new Dictionary<string, string> { ["event.name"] = "analysis_telemetry" });
        await show.SimulateAsync(0.1, seed: 3);
        var measurements = new ConcurrentQueue<(string Instrument, double Value, string? Event)>();
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter.Name == PipelineTelemetryNames.MeterName) l.EnableMeasurementEvents(instrument);
        };
        listener.SetMeasurementEventCallback<double>((instrument, value, tags, _) => measurements.Enqueue((instrument.Name, value,
            tags.ToArray().FirstOrDefault(t => t.Key == PipelineTelemetryNames.Attributes.Event).Value?.ToString())));
        listener.Start();
        var logger = new EventLogger();

        var headline = (await show.AnalyseAsync(config: config, runId: "telemetry", logger: logger)).Report
            .Find(AnalysisMetrics.AttendedRecommendedShare);
        listener.Dispose();

        var ours = measurements.Where(m => m.Event == "analysis_telemetry").ToList();
        Assert.Equal(headline.Difference!.Value, Assert.Single(ours, m => m.Instrument == Names.AttendanceUplift).Value);
        Assert.Equal(headline.CiLow!.Value, Assert.Single(ours, m => m.Instrument == Names.AttendanceUpliftCiLow).Value);
        Assert.Equal(headline.CiHigh!.Value, Assert.Single(ours, m => m.Instrument == Names.AttendanceUpliftCiHigh).Value);
        Assert.Equal(headline.PValue!.Value, Assert.Single(ours, m => m.Instrument == Names.AttendanceUpliftPValue).Value);
        var logged = Assert.Single(logger.Entries, e => e.Id.Id == Names.EventId);
        Assert.Equal(Names.EventName, logged.Id.Name);
        Assert.Equal(headline.Difference, logged.Values["Uplift"]);
        Assert.Equal(headline.PValue, logged.Values["PValue"]);
    }

    /// <summary>The treated visitors, read from step 4's export by this test rather than by the step's reader.</summary>
    private HashSet<string> TreatedBadges()
    {
        var manifest = ArtifactReader.ReadManifestAsync(show.Store, show.RecommendationsManifest, CancellationToken.None).Result;
        Assert.True(show.Store.TryGetPath(manifest.Output("recommendations.json").Uri, out var path));
        using var json = System.Text.Json.JsonDocument.Parse(File.ReadAllBytes(Path.Combine(show.StorePath, path.Value)));
        return json.RootElement.GetProperty("recommendations").EnumerateObject().Select(p => p.Name).ToHashSet(StringComparer.Ordinal);
    }

    private static List<Dictionary<string, string>> ReadCsv(string path)
    {
        using var reader = new StreamReader(path);
        using var csv = new CsvReader(reader, CultureInfo.InvariantCulture);
        csv.Read();
        csv.ReadHeader();
        var rows = new List<Dictionary<string, string>>();
        while (csv.Read()) rows.Add(csv.HeaderRecord!.ToDictionary(h => h, h => csv.GetField(h) ?? ""));
        return rows;
    }

    /// <summary>A store whose every write of a manifest fails, as a full disk or a lost connection would.</summary>
    private sealed class FailingManifestStore(IArtifactStore inner) : DelegatingArtifactStore(inner)
    {
        public List<ArtifactPath> Written { get; } = [];

        public override async Task<StoredArtifact> PutAsync(ArtifactPath path, Stream content, CancellationToken cancellationToken = default)
        {
            if (path.Name == ArtifactManifest.FileName) throw new IOException("the disk is full");
            Written.Add(path);
            return await Inner.PutAsync(path, content, cancellationToken);
        }
    }

    /// <summary>Log entries with their event id and structured values.</summary>
    private sealed class EventLogger : ILogger<PostShowAnalysisStep>
    {
        public ConcurrentQueue<(EventId Id, IReadOnlyDictionary<string, object?> Values)> Entries { get; } = new();
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;
        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            Entries.Enqueue((eventId, state is IEnumerable<KeyValuePair<string, object?>> pairs
                ? pairs.ToDictionary(p => p.Key, p => p.Value)
                : new Dictionary<string, object?>()));
    }
}
