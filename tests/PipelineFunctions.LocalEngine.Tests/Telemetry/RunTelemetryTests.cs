using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;
using PipelineFunctions.Core.Orchestration;
using PipelineFunctions.Core.Steps.Recommendations;
using PipelineFunctions.Infrastructure.Artifacts;
using PipelineFunctions.Infrastructure.Graph;
using PipelineFunctions.Local.Tests.Support;
using PipelineFunctions.LocalEngine.Runs;
using Names = PipelineFunctions.Core.Telemetry.PipelineTelemetryNames;

namespace PipelineFunctions.LocalEngine.Tests.Telemetry;

/// <summary>
/// The pipeline's telemetry schema on real runs of the local engine over the committed sample: the spans, the
/// instruments (their values are the run summary's figures) and the run-ended log event, for a completed and a failed run.
/// </summary>
[Collection(RunTelemetryCollection.Name)]
public sealed class RunTelemetryTests : IDisposable
{
    private readonly TempFolder _temp = new();
    private readonly FakeLogCollector _logs = new();
    private readonly ILoggerFactory _loggers;

    public RunTelemetryTests() => _loggers = LoggerFactory.Create(logging => logging.AddProvider(new FakeLoggerProvider(_logs)));

    public void Dispose()
    {
        _loggers.Dispose();
        _temp.Dispose();
    }

    private LocalHost Host() =>
        new(ArtifactStoreLocator.Open(_temp.Combine("store")), new SqliteAgendaGraphFactory(_temp.Combine("graph")), _temp.Combine("runs.sqlite"),
            Repository.Root, LocalPipelineServices.OpenAnyInput, _loggers, TimeProvider.System);

    private List<FakeLogRecord> RunEnded(string runId) =>
        _logs.GetSnapshot().Where(r => r.Id.Id == Names.RunEnded.EventId && Field(r, Names.Attributes.RunId) == runId).ToList();

    private static string? Field(FakeLogRecord record, string name) => record.StructuredState!.Single(f => f.Key == name).Value;

    [Fact]
    public async Task A_completed_run_emits_its_spans_its_figures_as_metrics_and_one_run_ended_event()
    {
        using var capture = new TelemetryCapture();
        await using var host = Host();
        await host.Runner.CreateAsync(new PipelineRunRequest("vet_lva", Repository.Sample("vet_lva"), Retrain: true), "telemetry-ok");
        var instance = await host.Runner.RunAsync("telemetry-ok");
        Assert.Equal(RuntimeStatuses.Completed, instance.RuntimeStatus);
        var summary = (await host.SummaryAsync(instance))!;
        var duration = (summary.FinishedAt - summary.StartedAt).TotalSeconds;

        var run = Assert.Single(capture.SpansOf("telemetry-ok", Names.Spans.Run));
        Assert.Equal((Names.RunStatuses.Completed, "telemetry-ok", "vet_lva", ActivityStatusCode.Unset),
            ((string?)run.GetTagItem(Names.Attributes.Status), (string?)run.GetTagItem(Names.Attributes.InstanceId),
                (string?)run.GetTagItem(Names.Attributes.Event), run.Status));
        Assert.Equal(summary.StartedAt, run.StartTimeUtc);
        Assert.Equal(duration, run.Duration.TotalSeconds, 3);
        var recommendations = summary.Steps.Single(s => s.Step == PipelineSteps.Recommendations).Metrics;
        Assert.Equal(recommendations[RecommendationCounts.Recommendations], run.GetTagItem(Names.Attributes.Recommendations));

        // One span per step, children of the run's, with the summary's times and statuses.
        var steps = capture.SpansOf("telemetry-ok", Names.Spans.Step);
        Assert.Equal(PipelineSteps.All, steps.Select(s => (string?)s.GetTagItem(Names.Attributes.Step)));
        Assert.All(steps, s => Assert.Equal((run.SpanId, StepStatuses.Succeeded), (s.ParentSpanId, (string?)s.GetTagItem(Names.Attributes.Status))));
        Assert.All(steps.Zip(summary.Steps), pair => Assert.Equal(pair.Second.StartedAt.UtcDateTime, pair.First.StartTimeUtc));

        // One span per activity the run called (the plan, step 1, each fan-out's plan, every part and fan-in, retraining), none more.
        var history = await host.RunStore.GetHistoryAsync("telemetry-ok");
        var called = history.Where(e => e.Kind == "activity" && e.Name != PipelineActivityNames.RecordRunEnd).Select(e => e.Name).Order().ToList();
        var activities = capture.SpansOf("telemetry-ok", Names.Spans.Activity);
        Assert.Equal(called, activities.Select(s => (string)s.GetTagItem(Names.Attributes.Activity)!).Order());
        var shards = activities.Where(s => (string?)s.GetTagItem(Names.Attributes.Activity) == PipelineActivityNames.ScoreRecommendationShard)
            .ToList();
        Assert.NotEmpty(shards);
        Assert.Equal(Enumerable.Range(0, shards.Count), shards.Select(s => (int)s.GetTagItem(Names.Attributes.Part)!).Order());

        // The instruments carry the summary's figures, once.
        var runDuration = Assert.Single(capture.Of(Names.Instruments.RunDuration));
        Assert.Equal((Names.Units.Seconds, Names.RunStatuses.Completed, "vet_lva"),
            (runDuration.Unit, runDuration.Tags[Names.Attributes.Status], runDuration.Tags[Names.Attributes.Event]));
        Assert.Equal(duration, runDuration.Value, 3);
        var stepDurations = capture.Of(Names.Instruments.StepDuration);
        Assert.Equal(PipelineSteps.All, stepDurations.Select(m => m.Tags[Names.Attributes.Step]));
        Assert.All(stepDurations.Zip(summary.Steps), p => Assert.Equal((p.Second.FinishedAt - p.Second.StartedAt).TotalSeconds, p.First.Value, 3));
        foreach (var (instrument, key) in new[]
        {
            (Names.Instruments.VisitorsProcessed, RecommendationCounts.VisitorsProcessed),
            (Names.Instruments.Recommendations, RecommendationCounts.Recommendations),
            (Names.Instruments.VisitorsWithoutRecommendations, RecommendationCounts.VisitorsWithoutRecommendations),
            (Names.Instruments.CapacityRefusals, RecommendationCounts.CapacityRefusals),
            (Names.Instruments.Backfills, RecommendationCounts.BackfilledVisitors),
        })
            Assert.Equal(recommendations[key], Assert.Single(capture.Of(instrument)).Value);
        Assert.True(recommendations[RecommendationCounts.Recommendations] > 100);
        Assert.Equal(recommendations[RecommendationCounts.VisitorsProcessed], capture.Of(Names.Instruments.VisitorsByStrategy).Sum(m => m.Value));
        Assert.Empty(capture.Of(Names.Instruments.Failures));
        Assert.Empty(capture.Of(Names.Instruments.Retries));
        var retraining = summary.Retraining!;
        var decision = Assert.Single(capture.Of(Names.Instruments.RankerDecisions));
        Assert.Equal(retraining.Promoted ? Names.RankerDecisions.Promoted : Names.RankerDecisions.Kept, decision.Tags[Names.Attributes.Decision]);
        Assert.Equal(retraining.CandidateNdcgAt10, Assert.Single(capture.Of(Names.Instruments.RankerNdcgAt10)).Value);

        // docs/azure.md's table gives each instrument the run produced its kind and unit.
        var docs = await File.ReadAllTextAsync(Path.Combine(Repository.Root, "docs", "azure.md"));
        foreach (var measured in capture.Measurements.DistinctBy(m => m.Instrument))
            Assert.Matches(new Regex($@"^\| `{Regex.Escape(measured.Instrument)}` \| (histogram|counter) \| `{Regex.Escape(measured.Unit!)}` \|",
                RegexOptions.Multiline), docs);

        var ended = Assert.Single(RunEnded("telemetry-ok"));
        Assert.Equal((LogLevel.Information, Names.RunEnded.EventName, Names.RunEnded.Category), (ended.Level, ended.Id.Name, ended.Category));
        Assert.Equal((Names.RunStatuses.Completed, "vet_lva", "telemetry-ok", ""),
            (Field(ended, Names.Attributes.Status), Field(ended, Names.Attributes.Event), Field(ended, Names.Attributes.InstanceId),
                Field(ended, Names.Attributes.Error)));
        Assert.Equal(duration, double.Parse(Field(ended, Names.Attributes.DurationSeconds)!, CultureInfo.InvariantCulture), 3);
        Assert.All(Names.RunEnded.Fields, f => Assert.Contains(ended.StructuredState!, s => s.Key == f));
    }

    [Fact]
    public async Task A_run_failing_on_bad_input_ends_failed_with_the_error_once_and_again_completed_when_resumed()
    {
        var inputs = _temp.Combine("inputs");
        SampleCopies.CopyFolder(Repository.Sample("vet_lva"), inputs);
        var registrations = Path.Combine(inputs, "registration_LVS24_LVS25.json");
        var original = await File.ReadAllBytesAsync(registrations);
        await File.WriteAllTextAsync(registrations, "{ not json");
        using var capture = new TelemetryCapture();
        await using var host = Host();
        await host.Runner.CreateAsync(new PipelineRunRequest("vet_lva", inputs), "telemetry-bad");
        var failed = await host.Runner.RunAsync("telemetry-bad");
        Assert.Equal(RuntimeStatuses.Failed, failed.RuntimeStatus);
        var summary = (await host.SummaryAsync(failed))!;
        Assert.Contains("registration_LVS24_LVS25.json", summary.Error);

        var run = Assert.Single(capture.SpansOf("telemetry-bad", Names.Spans.Run));
        Assert.Equal((ActivityStatusCode.Error, summary.Error, Names.RunStatuses.Failed),
            (run.Status, run.StatusDescription, (string?)run.GetTagItem(Names.Attributes.Status)));
        var step = Assert.Single(capture.SpansOf("telemetry-bad", Names.Spans.Step));
        Assert.Equal((PipelineSteps.DataPreparation, ActivityStatusCode.Error), ((string?)step.GetTagItem(Names.Attributes.Step), step.Status));
        var activity = Assert.Single(capture.SpansOf("telemetry-bad", Names.Spans.Activity),
            s => (string?)s.GetTagItem(Names.Attributes.Activity) == PipelineActivityNames.PrepareData);
        Assert.Equal(ActivityStatusCode.Error, activity.Status);

        var failure = Assert.Single(capture.Of(Names.Instruments.Failures));
        Assert.Equal((1, PipelineSteps.DataPreparation), (failure.Value, failure.Tags[Names.Attributes.Step]));
        Assert.Equal(Names.RunStatuses.Failed, Assert.Single(capture.Of(Names.Instruments.RunDuration)).Tags[Names.Attributes.Status]);
        Assert.Empty(capture.Of(Names.Instruments.Recommendations));

        var ended = Assert.Single(RunEnded("telemetry-bad"));
        Assert.Equal((LogLevel.Error, Names.RunStatuses.Failed, summary.Error),
            (ended.Level, Field(ended, Names.Attributes.Status), Field(ended, Names.Attributes.Error)));

        // Resumed once the input is fixed, the run ends again, completed: one more event, not a replay of the first.
        await File.WriteAllBytesAsync(registrations, original);
        Assert.Equal(RuntimeStatuses.Completed, (await host.Runner.ResumeAsync("telemetry-bad")).RuntimeStatus);
        Assert.Equal([Names.RunStatuses.Failed, Names.RunStatuses.Completed],
            RunEnded("telemetry-bad").Select(r => Field(r, Names.Attributes.Status)));
        Assert.Equal(2, capture.SpansOf("telemetry-bad", Names.Spans.Run).Count);
    }
}
