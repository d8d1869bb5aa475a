using System.Text;
using System.Text.Json;
using PipelineFunctions.Core.Artifacts;
using PipelineFunctions.Core.Orchestration;
using PipelineFunctions.Core.Orchestration.FanOut;
using PipelineFunctions.Core.Orchestration.Notifications;

namespace PipelineFunctions.Core.Tests.Orchestration;

/// <summary>The orchestration's decisions against a scripted context: order, reuse, retries, failures, status size.</summary>
public sealed class PipelineOrchestrationTests
{
    /// <summary>Answers activities from a script; records calls, timers and statuses. Serialises through JSON like a real host.</summary>
    private sealed class ScriptedContext(Func<string, StepActivityInput?, int, object> answer) : IPipelineOrchestrationContext
    {
        public static readonly Uri PublishedSummary = new("file:///store/runs/vet_lva/run-1/run_summary.json");

        /// <summary>The summaries the orchestration asked to publish, as serialized.</summary>
        public List<string> Published { get; } = [];

        /// <summary>Set to make publishing the failed run's summary fail too.</summary>
        public bool PublishFails { get; init; }

        /// <summary>The summaries the orchestration announced, as the notification activity received them.</summary>
        public List<RunSummary> Announced { get; } = [];

        /// <summary>What the notification activity answers (default: delivered, no warning); null: the activity itself fails.</summary>
        public RunNotificationOutcome? Notification { get; init; } = new(1, []);
        /// <summary>The RecordRunEnd calls (kept out of <see cref="Calls"/>), each with the number of other calls before it.</summary>
        public List<(int CallsBefore, RunEndedInput Input)> Ended { get; } = [];

        /// <summary>Set to make recording the run's end fail.</summary>
        public bool RecordEndFails { get; init; }

        public List<string> Calls { get; } = [];
        public List<DateTime> Timers { get; } = [];
        public List<string> Statuses { get; } = [];
        private readonly Dictionary<string, int> _attempts = [];

        public string InstanceId => "test";
        public DateTime CurrentUtcDateTime { get; private set; } = new(2026, 11, 22, 4, 0, 0, DateTimeKind.Utc);
        public bool IsReplaying => false;

        public Task<TResult> CallActivityAsync<TResult>(string name, object? input)
        {
            var json = JsonSerializer.Serialize(input, PipelineJson.Options);
            if (name == PipelineActivityNames.NotifyRunEnded)
            {
                Calls.Add(name + ":");
                Assert.True(Encoding.UTF8.GetByteCount(json) < RunStatusLimits.ActivityMessageBytes, $"{name}'s input is {json.Length} characters");
                Announced.Add(JsonSerializer.Deserialize<RunSummary>(json, PipelineJson.Options)!);
                if (Notification is null)
                    return Task.FromException<TResult>(new ActivityFailedException(name, "System.InvalidOperationException", "boom"));
                return Task.FromResult(
                    JsonSerializer.Deserialize<TResult>(JsonSerializer.Serialize(Notification, PipelineJson.Options), PipelineJson.Options)!);
            }
            if (name == PipelineActivityNames.PublishRunSummary)
            {
                Calls.Add(name + ":");
                Published.Add(json);
                if (PublishFails) throw new ActivityFailedException(name, "System.IO.IOException", "store unreachable");
                var published = new ArtifactReference(PipelineActivities.RunSummaryFile, PublishedSummary, "sha");
                return Task.FromResult(
                    JsonSerializer.Deserialize<TResult>(JsonSerializer.Serialize(published, PipelineJson.Options), PipelineJson.Options)!);
            }
            Assert.True(Encoding.UTF8.GetByteCount(json) < RunStatusLimits.ActivityMessageBytes, $"{name}'s input is {json.Length} characters");
            if (name == PipelineActivityNames.RecordRunEnd)
            {
                Ended.Add((Calls.Count, JsonSerializer.Deserialize<RunEndedInput>(json, PipelineJson.Options)!));
                return RecordEndFails
                    ? Task.FromException<TResult>(new ActivityFailedException(name, "System.InvalidOperationException", "no exporter"))
                    : Task.FromResult((TResult)(object)true);
            }
            var (step, part) = input switch
            {
                StepActivityInput => (JsonSerializer.Deserialize<StepActivityInput>(json, PipelineJson.Options), ""),
                StepPartInput => JsonSerializer.Deserialize<StepPartInput>(json, PipelineJson.Options) is var p
                    ? (p!.Step, $":{p.Wave}/{p.Index}") : default,
                StepFinishInput => (JsonSerializer.Deserialize<StepFinishInput>(json, PipelineJson.Options)!.Step, ""),
                _ => ((StepActivityInput?)null, ""),
            };
            var key = name + ":" + step?.Step + part;
            Calls.Add(key);
            _attempts[key] = _attempts.GetValueOrDefault(key) + 1;
            CurrentUtcDateTime = CurrentUtcDateTime.AddSeconds(1);
            var result = answer(name, step, _attempts[key]);
            if (result is StepOutcome outcome && name.StartsWith("Begin", StringComparison.Ordinal)) result = Parts(outcome);
            if (result is StepOutcome && PartNames.Contains(name)) result = new StepPartResult(0, 0, false, new Dictionary<string, long>());
            // As a real context: a failed activity is a faulted task, not a throw from the call.
            if (result is ActivityFailedException failure) return Task.FromException<TResult>(failure);
            return Task.FromResult(
                JsonSerializer.Deserialize<TResult>(JsonSerializer.Serialize(result, PipelineJson.Options), PipelineJson.Options)!);
        }

        public Task CreateTimerAsync(DateTime fireAtUtc, CancellationToken cancellationToken)
        {
            Timers.Add(fireAtUtc);
            CurrentUtcDateTime = fireAtUtc;
            return Task.CompletedTask;
        }

        public void SetCustomStatus(object? status) => Statuses.Add(JsonSerializer.Serialize(status, PipelineJson.Options));

        public Guid NewGuid() => Guid.Empty;
    }

    [Fact]
    public async Task The_run_end_is_recorded_once_after_every_other_activity_with_the_summary_and_a_failure_to_record_it_changes_nothing()
    {
        var context = new ScriptedContext((name, input, _) => name == PipelineActivityNames.PlanRun ? Plan() : Outcome(input!.Step));
        var summary = await PipelineOrchestration.RunAsync(context, Input);
        var (callsBefore, ended) = Assert.Single(context.Ended);
        Assert.Equal(context.Calls.Count, callsBefore);
        Assert.Equal(("test", "run-1", StepStatuses.Succeeded, summary.StartedAt, summary.FinishedAt),
            (ended.InstanceId, ended.Summary.RunId, ended.Summary.Status, ended.Summary.StartedAt, ended.Summary.FinishedAt));
        Assert.Equal(summary.Steps.Select(s => (s.Step, s.Status, s.Attempts, s.StartedAt)),
            ended.Summary.Steps.Select(s => (s.Step, s.Status, s.Attempts, s.StartedAt)));
        // Only the counts the telemetry reports travel (the scripted steps have none of them).
        Assert.All(ended.Summary.Steps, s => Assert.Empty(s.Metrics));

        // A failed run records its end after publishing its summary; the recording failing leaves the run's failure as it was.
        var failing = new ScriptedContext((name, input, _) => name == PipelineActivityNames.PlanRun ? Plan()
            : new ActivityFailedException(name, typeof(PipelineInputException).FullName!, "visitors.json, row 3, field 'BadgeId': empty"))
        { RecordEndFails = true };
        var failure = await Assert.ThrowsAsync<PipelineRunFailedException>(() => PipelineOrchestration.RunAsync(failing, Input));
        (callsBefore, ended) = Assert.Single(failing.Ended);
        Assert.Equal(("PublishRunSummary:", failing.Calls.Count), (failing.Calls[callsBefore - 1], callsBefore));
        Assert.Equal((StepStatuses.Failed, failure.Summary.Error), (ended.Summary.Status, ended.Summary.Error));
        Assert.Equal(ScriptedContext.PublishedSummary, failure.SummaryUri);
        Assert.Equal(failure.Summary.Error, Last(failing).Error);
    }

    private static readonly HashSet<string> PartNames =
        [PipelineActivityNames.RunGraphProcessor, PipelineActivityNames.EmbedSessionBatch, PipelineActivityNames.ScoreRecommendationShard];

    /// <summary>What a script's "this step succeeds" means for a fanned-out step's plan: two parts.</summary>
    private static FanOutPlan Parts(StepOutcome outcome) =>
        new(outcome.Step, outcome.Fingerprint, DateTimeOffset.UnixEpoch, outcome.Status == StepStatuses.Reused ? outcome : null, [2], "parts", 4);

    private static string[] FannedOut(string step, string part, string name) =>
        [$"Begin{step}:{name}", $"{part}:{name}:0/0", $"{part}:{name}:0/1", $"Finish{step}:{name}"];

    private static RunProgress Last(ScriptedContext context) => JsonSerializer.Deserialize<RunProgress>(context.Statuses[^1], PipelineJson.Options)!;

    private static readonly PipelineRunInput Input = new(new PipelineRunRequest("vet_lva", "inputs/vet_lva"), "run-1");

    private static RunPlan Plan(IReadOnlyList<string>? steps = null, bool retrain = false, bool analyse = false) => new("run-1", "vet_lva",
        steps ?? PipelineSteps.All, "dev", false, false, retrain,
        PipelineSteps.All.Append("retraining").Append(PipelineSteps.PostShowAnalysis)
            .ToDictionary(s => s, _ => new ActivityRetryPolicy(3, TimeSpan.FromSeconds(5), 2, TimeSpan.FromSeconds(60))), "config-hash", analyse);

    private static StepOutcome Outcome(string step, string status = StepStatuses.Succeeded, int metrics = 3) => new(step, status,
        new Uri($"file:///store/runs/vet_lva/run-1/{step}/manifest.json"), "abc", "fp-" + step,
        DateTimeOffset.UnixEpoch, DateTimeOffset.UnixEpoch, null, [], [],
        Enumerable.Range(0, metrics).ToDictionary(i => $"count_{i:D3}", i => (long)i * 1_000_000_007));

    [Fact]
    public async Task Runs_the_four_steps_in_order_each_seeing_the_outcomes_before_it()
    {
        var seen = new List<int>();
        var context = new ScriptedContext((name, input, _) =>
        {
            if (name == PipelineActivityNames.PlanRun) return Plan();
            if (!name.StartsWith("Begin", StringComparison.Ordinal) && !PartNames.Contains(name)) seen.Add(input!.Previous.Count);
            return Outcome(input!.Step);
        });

        var summary = await PipelineOrchestration.RunAsync(context, Input);

        Assert.Equal(
            [
                "PlanRun:", "PrepareData:data_preparation",
                .. FannedOut("GraphPreparation", "RunGraphProcessor", PipelineSteps.GraphPreparation),
                .. FannedOut("Embeddings", "EmbedSessionBatch", PipelineSteps.Embeddings),
                .. FannedOut("Recommendations", "ScoreRecommendationShard", PipelineSteps.Recommendations),
                "NotifyRunEnded:",
            ],
            context.Calls);
        Assert.Equal([0, 1, 2, 3], seen);
        Assert.Equal(StepStatuses.Succeeded, summary.Status);
        Assert.Equal(PipelineSteps.All, summary.Steps.Select(s => s.Step));
        Assert.All(summary.Steps, s => Assert.Equal(1, s.Attempts));
        Assert.Equal(4, Last(context).StepsDone);
        // Announced once, at the end, with only the counts a message shows.
        var announced = Assert.Single(context.Announced);
        Assert.Equal((summary.RunId, StepStatuses.Succeeded, summary.FinishedAt), (announced.RunId, announced.Status, announced.FinishedAt));
        Assert.All(announced.Steps, s => Assert.Empty(s.Metrics)); // count_000…: none a message shows
        Assert.Empty(summary.Warnings);
    }

    [Fact]
    public async Task A_notification_not_delivered_is_a_warning_in_the_summary_and_the_run_still_succeeds()
    {
        var warning = "run notification (run_ended) not delivered to the run-notification webhook at hooks.example: HTTP 404";
        foreach (var notification in new RunNotificationOutcome?[] { new(0, [warning]), null })
        {
            var context = new ScriptedContext((name, input, _) => name == PipelineActivityNames.PlanRun ? Plan() : Outcome(input!.Step))
            {
                Notification = notification,
            };

            var summary = await PipelineOrchestration.RunAsync(context, Input);

            Assert.Equal(StepStatuses.Succeeded, summary.Status);
            Assert.Equal(notification is null
                ? ["run notification not sent: activity NotifyRunEnded failed (System.InvalidOperationException)"]
                : [warning], summary.Warnings);
            Assert.Single(context.Calls, c => c == "NotifyRunEnded:");
        }
    }

    [Fact]
    public async Task A_failed_run_is_announced_before_its_summary_is_published_with_the_notification_warning_in_it()
    {
        var context = new ScriptedContext((name, input, _) => name == PipelineActivityNames.PlanRun ? Plan()
            : name == PipelineActivityNames.PrepareData
                ? new ActivityFailedException(name, typeof(PipelineInputException).FullName!, "visitors.json, row 3, field 'BadgeId': empty")
            : Outcome(input!.Step))
        { Notification = new(0, ["not delivered: HTTP 500"]) };

        var failure = await Assert.ThrowsAsync<PipelineRunFailedException>(() => PipelineOrchestration.RunAsync(context, Input));

        Assert.Equal(["NotifyRunEnded:", "PublishRunSummary:"], context.Calls[^2..]);
        Assert.Equal(StepStatuses.Failed, Assert.Single(context.Announced).Status);
        Assert.Contains("row 3, field 'BadgeId'", context.Announced[0].Error);
        Assert.Equal(["not delivered: HTTP 500"], failure.Summary.Warnings);
        Assert.Equal(["not delivered: HTTP 500"],
            JsonSerializer.Deserialize<RunSummary>(Assert.Single(context.Published), PipelineJson.Options)!.Warnings);
    }

    [Fact]
    public async Task An_analysis_asked_for_runs_after_the_four_steps_from_step_4s_manifest_and_counts_in_the_progress()
    {
        var context = new ScriptedContext((name, input, _) => name == PipelineActivityNames.PlanRun ? Plan(retrain: true, analyse: true)
            : name == PipelineActivityNames.RetrainRanker ? new RetrainingOutcome("v2", true, "better", 0.5, 0.4)
            : Outcome(input!.Step));

        var summary = await PipelineOrchestration.RunAsync(context, Input);

        var analysis = context.Calls.IndexOf("AnalysePostShow:post_show_analysis");
        Assert.True(analysis > context.Calls.IndexOf("FinishRecommendations:recommendations"), string.Join(", ", context.Calls));
        Assert.True(analysis < context.Calls.IndexOf("RetrainRanker:retraining"), string.Join(", ", context.Calls));
        Assert.Equal([.. PipelineSteps.All, PipelineSteps.PostShowAnalysis], summary.Steps.Select(s => s.Step));
        var progress = JsonSerializer.Deserialize<RunProgress>(context.Statuses[^1], PipelineJson.Options)!;
        Assert.Equal(5, progress.StepsTotal);
        Assert.Equal(StepStatuses.Succeeded, progress.Steps[PipelineSteps.PostShowAnalysis].Status);
        // Step 4 ran in this run: the agendas analysed are not those an earlier run sent, and the summary says so.
        Assert.Contains(summary.Warnings, w => w.StartsWith("post_show_analysis: step 4 ran in this run", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_failed_analysis_fails_the_run_naming_it_and_keeps_the_four_steps_outcomes()
    {
        var context = new ScriptedContext((name, input, _) => name == PipelineActivityNames.PlanRun ? Plan(analyse: true)
            : name == PipelineActivityNames.AnalysePostShow
                ? new ActivityFailedException(name, typeof(PipelineInputException).FullName!, "seminar scans.csv, row 4, field 'Badge Id': empty")
            : Outcome(input!.Step));

        var failure = await Assert.ThrowsAsync<PipelineRunFailedException>(() => PipelineOrchestration.RunAsync(context, Input));

        Assert.Equal("post_show_analysis: seminar scans.csv, row 4, field 'Badge Id': empty", failure.Summary.Error);
        Assert.Equal([.. PipelineSteps.All.Select(_ => StepStatuses.Succeeded), StepStatuses.Failed], failure.Summary.Steps.Select(s => s.Status));
        Assert.Single(context.Calls, c => c == "AnalysePostShow:post_show_analysis"); // bad input is never retried
    }

    [Fact]
    public async Task Without_analyse_no_analysis_runs()
    {
        var context = new ScriptedContext((name, input, _) => name == PipelineActivityNames.PlanRun ? Plan() : Outcome(input!.Step));

        var summary = await PipelineOrchestration.RunAsync(context, Input);

        Assert.DoesNotContain(context.Calls, c => c.StartsWith(PipelineActivityNames.AnalysePostShow, StringComparison.Ordinal));
        Assert.Equal(PipelineSteps.All, summary.Steps.Select(s => s.Step));
    }

    [Fact]
    public async Task Steps_left_out_of_the_request_reuse_earlier_outputs()
    {
        var context = new ScriptedContext((name, input, _) => name == PipelineActivityNames.PlanRun ? Plan([PipelineSteps.Recommendations])
            : Outcome(input!.Step, name == PipelineActivityNames.ReuseStep ? StepStatuses.Reused : StepStatuses.Succeeded));

        var summary = await PipelineOrchestration.RunAsync(context, Input);

        Assert.Equal(
            [
                "PlanRun:", "ReuseStep:data_preparation", "ReuseStep:graph_preparation", "ReuseStep:embeddings",
                .. FannedOut("Recommendations", "ScoreRecommendationShard", PipelineSteps.Recommendations),
                "NotifyRunEnded:",
            ],
            context.Calls);
        Assert.Equal([StepStatuses.Reused, StepStatuses.Reused, StepStatuses.Reused, StepStatuses.Succeeded], summary.Steps.Select(s => s.Status));
    }

    [Fact]
    public async Task A_transient_failure_is_retried_after_a_durable_timer_with_back_off()
    {
        var context = new ScriptedContext((name, input, attempt) => name == PipelineActivityNames.PlanRun ? Plan()
            : name == PipelineActivityNames.RunGraphProcessor && attempt < 3
                ? new ActivityFailedException(name, "System.IO.IOException", "database is locked")
            : Outcome(input!.Step));

        var summary = await PipelineOrchestration.RunAsync(context, Input);

        // Both parts failed twice: retried together in rounds, each round after a durable timer.
        Assert.Equal(3, context.Calls.Count(c => c == "RunGraphProcessor:graph_preparation:0/0"));
        Assert.Equal(3, context.Calls.Count(c => c == "RunGraphProcessor:graph_preparation:0/1"));
        Assert.Equal(2, context.Timers.Count);
        Assert.Equal(3, summary.Steps.Single(s => s.Step == PipelineSteps.GraphPreparation).Attempts);
        Assert.Equal(StepStatuses.Succeeded, summary.Status);
        Assert.Equal(3, Last(context).Steps[PipelineSteps.GraphPreparation].Attempts);
    }

    [Fact]
    public async Task A_step_that_keeps_failing_fails_the_run_with_its_error_and_later_steps_never_run()
    {
        var context = new ScriptedContext((name, input, _) => name == PipelineActivityNames.PlanRun ? Plan()
            : name == PipelineActivityNames.EmbedSessionBatch
                ? new ActivityFailedException(name, "System.Net.Http.HttpRequestException", "503 from the embedding service")
            : Outcome(input!.Step));

        var failure = await Assert.ThrowsAsync<PipelineRunFailedException>(() => PipelineOrchestration.RunAsync(context, Input));

        Assert.Equal(6, context.Calls.Count(c => c.StartsWith("EmbedSessionBatch", StringComparison.Ordinal)));
        Assert.DoesNotContain(context.Calls, c => c.Contains("Recommendation", StringComparison.Ordinal));
        Assert.Equal(StepStatuses.Failed, failure.Summary.Status);
        Assert.Equal("embeddings: part 1 of 2 parts: 503 from the embedding service", failure.Summary.Error);
        Assert.Equal([StepStatuses.Succeeded, StepStatuses.Succeeded, StepStatuses.Failed], failure.Summary.Steps.Select(s => s.Status));
        Assert.Equal(new StepProgress(StepStatuses.Failed, 3, null, new FanOutProgress(0, 2, "parts")),
            Last(context).Steps[PipelineSteps.Embeddings]);

        // The whole summary is published; the status is the compact failure pointing at it.
        Assert.Equal("PublishRunSummary:", context.Calls[^1]);
        Assert.Equal(JsonSerializer.Serialize(failure.Summary, PipelineJson.Options), Assert.Single(context.Published));
        Assert.Equal(ScriptedContext.PublishedSummary, failure.SummaryUri);
        var status = Last(context);
        Assert.Equal((PipelineSteps.Embeddings, failure.Summary.Error, ScriptedContext.PublishedSummary),
            (status.CurrentStep, status.Error, status.SummaryUri));
    }

    [Fact]
    public async Task A_failed_run_whose_summary_cannot_be_published_still_says_what_failed()
    {
        var context = new ScriptedContext((name, input, _) => name == PipelineActivityNames.PlanRun ? Plan()
            : new ActivityFailedException(name, typeof(PipelineInputException).FullName!, "visitors.json, row 3, field 'BadgeId': empty"))
        { PublishFails = true };

        var failure = await Assert.ThrowsAsync<PipelineRunFailedException>(() => PipelineOrchestration.RunAsync(context, Input));

        Assert.Null(failure.SummaryUri);
        var status = Last(context);
        Assert.Null(status.SummaryUri);
        Assert.Equal(PipelineSteps.DataPreparation, status.CurrentStep);
        Assert.Contains("row 3, field 'BadgeId'", status.Error);
    }

    [Fact]
    public async Task A_failed_run_keeps_its_custom_status_under_Durable_limit_however_long_the_error()
    {
        // Step 4 fails on every attempt with an error of 50,000 characters, after three steps with more metrics than real ones:
        // the whole summary was 11,847 characters when it went into the custom status, over Durable's 8,192.
        var longError = string.Concat(Enumerable.Repeat("the ranker's feature store refused the request; ", 1_000));
        var context = new ScriptedContext((name, input, _) => name == PipelineActivityNames.PlanRun ? Plan()
            : name == PipelineActivityNames.ScoreRecommendationShard
                ? new ActivityFailedException(name, "System.InvalidOperationException", longError)
            : Outcome(input!.Step, metrics: 40));

        var failure = await Assert.ThrowsAsync<PipelineRunFailedException>(() => PipelineOrchestration.RunAsync(context, Input));

        Assert.All(context.Statuses,
            s => Assert.True(s.Length <= RunStatusLimits.CustomStatusCharacters / 2, $"custom status of {s.Length} characters"));
        Assert.Equal(RunStatusLimits.ErrorCharacters, Last(context).Error!.Length);
        Assert.EndsWith("[cut]", Last(context).Error);
        // The published summary keeps far more of it, and stays a message Durable keeps inline.
        Assert.True(failure.Summary.Error!.Length > RunStatusLimits.SummaryErrorCharacters);
        Assert.True(context.Published[0].Length < RunStatusLimits.MessageCharacters / 2, $"summary of {context.Published[0].Length} characters");
    }

    [Fact]
    public async Task Bad_input_is_not_retried()
    {
        var context = new ScriptedContext((name, input, _) => name == PipelineActivityNames.PlanRun ? Plan()
            : new ActivityFailedException(name, typeof(PipelineInputException).FullName!, "visitors.json, row 3, field 'BadgeId': empty"));

        var failure = await Assert.ThrowsAsync<PipelineRunFailedException>(() => PipelineOrchestration.RunAsync(context, Input));

        Assert.Single(context.Calls, c => c.StartsWith("PrepareData", StringComparison.Ordinal));
        Assert.Empty(context.Timers);
        Assert.Contains("row 3, field 'BadgeId'", failure.Summary.Error);
    }

    [Fact]
    public async Task A_failed_retraining_keeps_the_run_successful_and_says_so()
    {
        var context = new ScriptedContext((name, input, _) => name switch
        {
            PipelineActivityNames.PlanRun => Plan(retrain: true),
            PipelineActivityNames.RetrainRanker => new ActivityFailedException(name, "System.InvalidOperationException", "no training examples"),
            _ => Outcome(input!.Step),
        });

        var summary = await PipelineOrchestration.RunAsync(context, Input);

        Assert.Equal(StepStatuses.Succeeded, summary.Status);
        Assert.False(summary.Retraining!.Promoted);
        Assert.Contains("no training examples", summary.Retraining.Reason);
    }

    [Fact]
    public async Task The_custom_status_stays_far_under_16_KB_whatever_the_steps_count()
    {
        // A 50k-visitor show has large counts and many metrics; the status carries at most eight per step.
        var context = new ScriptedContext((name, input, _) => name == PipelineActivityNames.PlanRun ? Plan() : Outcome(input!.Step, metrics: 500));

        await PipelineOrchestration.RunAsync(context, Input);

        Assert.All(context.Statuses, s => Assert.True(s.Length < 4 * 1024, $"custom status of {s.Length} bytes"));
    }
}
