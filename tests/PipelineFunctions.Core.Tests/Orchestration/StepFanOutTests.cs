using System.Text;
using System.Text.Json;
using PipelineFunctions.Core.Artifacts;
using PipelineFunctions.Core.Orchestration;
using PipelineFunctions.Core.Orchestration.FanOut;

namespace PipelineFunctions.Core.Tests.Orchestration;

/// <summary>The orchestration's side of a fan-out: parts in flight, progress, retry rounds, a bad part, the fan-in.</summary>
public sealed class StepFanOutTests
{
    private static readonly FanOutActivityNames Names = new("BeginX", "PartX", "FinishX");

    private static readonly StepActivityInput Input = new(new PipelineRunInput(new PipelineRunRequest("vet_lva", "inputs/vet_lva"), "run-1"),
        new RunPlan("run-1", "vet_lva", PipelineSteps.All, "dev", false, false, false, new Dictionary<string, ActivityRetryPolicy>(), "config"),
        PipelineSteps.Recommendations, []);

    private static readonly ActivityRetryPolicy ThreeAttempts = new(3, TimeSpan.FromSeconds(5), 2, TimeSpan.FromSeconds(60));

    /// <summary>Parts complete asynchronously, a little later; the context counts how many were in flight at once.</summary>
    private sealed class PartsContext(FanOutPlan plan, Func<StepPartInput, int, Exception?> fail) : IPipelineOrchestrationContext
    {
        private readonly Dictionary<(int, int), int> _attempts = [];
        private int _inFlight;

        public int MostInFlight { get; private set; }
        public List<string> Calls { get; } = [];
        public List<DateTime> Timers { get; } = [];
        public string InstanceId => "test";
        public DateTime CurrentUtcDateTime { get; private set; } = new(2026, 12, 1, 4, 0, 0, DateTimeKind.Utc);
        public bool IsReplaying => false;

        public Task<TResult> CallActivityAsync<TResult>(string name, object? input)
        {
            var json = JsonSerializer.Serialize(input, PipelineJson.Options);
            Assert.True(Encoding.UTF8.GetByteCount(json) < RunStatusLimits.ActivityMessageBytes, $"{name}'s input of {json.Length} characters");
            Calls.Add(name);
            if (name == Names.Begin) return Answer<TResult>(plan);
            if (name == Names.Finish)
                return Answer<TResult>(new StepOutcome(plan.Step, StepStatuses.Succeeded, null, null, plan.Fingerprint, plan.StartedAt,
                    plan.StartedAt, null, [], [], new Dictionary<string, long>()));
            var part = JsonSerializer.Deserialize<StepPartInput>(json, PipelineJson.Options)!;
            var attempt = _attempts[(part.Wave, part.Index)] = _attempts.GetValueOrDefault((part.Wave, part.Index)) + 1;
            MostInFlight = Math.Max(MostInFlight, Interlocked.Increment(ref _inFlight));
            return CompleteLaterAsync<TResult>(part, attempt);
        }

        private async Task<TResult> CompleteLaterAsync<TResult>(StepPartInput part, int attempt)
        {
            await Task.Delay(5);
            Interlocked.Decrement(ref _inFlight);
            if (fail(part, attempt) is { } failure) throw failure;
            return JsonSerializer.Deserialize<TResult>(JsonSerializer.Serialize(
                new StepPartResult(part.Wave, part.Index, false, new Dictionary<string, long>()), PipelineJson.Options), PipelineJson.Options)!;
        }

        private static Task<TResult> Answer<TResult>(object value) =>
            Task.FromResult(JsonSerializer.Deserialize<TResult>(JsonSerializer.Serialize(value, PipelineJson.Options), PipelineJson.Options)!);

        public Task CreateTimerAsync(DateTime fireAtUtc, CancellationToken cancellationToken)
        {
            Timers.Add(fireAtUtc);
            CurrentUtcDateTime = fireAtUtc;
            return Task.CompletedTask;
        }

        public void SetCustomStatus(object? status)
        {
        }

        public Guid NewGuid() => Guid.Empty;
    }

    private static FanOutPlan Plan(int[] waves, int maxInFlight) =>
        new(PipelineSteps.Recommendations, "fp", DateTimeOffset.UnixEpoch, null, waves, "shards", maxInFlight, "context-sha");

    [Theory]
    [InlineData(20, 4)]
    [InlineData(3, 8)]
    [InlineData(5, 1)]
    public async Task No_more_parts_than_the_plan_allows_are_in_flight_and_every_part_is_counted_once(int parts, int maxInFlight)
    {
        var context = new PartsContext(Plan([parts], maxInFlight), (_, _) => null);
        var progress = new List<FanOutProgress>();

        var (outcome, attempts, error) = await StepFanOut.RunAsync(context, Names, Input, ThreeAttempts, progress.Add);

        Assert.Null(error);
        Assert.Equal((StepStatuses.Succeeded, 1), (outcome!.Status, attempts));
        Assert.Equal(Math.Min(parts, maxInFlight), context.MostInFlight);
        Assert.Equal(parts, context.Calls.Count(c => c == Names.Part));
        Assert.Equal(Enumerable.Range(0, parts + 1).Select(done => new FanOutProgress(done, parts, "shards")), progress);
        Assert.Equal([Names.Begin, .. Enumerable.Repeat(Names.Part, parts), Names.Finish], context.Calls);
    }

    [Fact]
    public async Task A_wave_starts_only_when_the_one_before_it_has_finished()
    {
        var order = new List<(int Wave, int Index)>();
        var context = new PartsContext(Plan([2, 3], 8), (part, _) =>
        {
            lock (order) order.Add((part.Wave, part.Index));
            return null;
        });

        await StepFanOut.RunAsync(context, Names, Input, ThreeAttempts, _ => { });

        Assert.Equal(5, order.Count);
        Assert.All(order.Take(2), p => Assert.Equal(0, p.Wave));
        Assert.All(order.Skip(2), p => Assert.Equal(1, p.Wave));
    }

    [Fact]
    public async Task Failed_parts_are_retried_together_after_a_durable_timer_and_the_others_are_not_run_again()
    {
        // Parts 1 and 3 of 5 fail their first attempt; part 3 its second too.
        var context = new PartsContext(Plan([5], 5), (part, attempt) =>
            (part.Index == 1 && attempt == 1) || (part.Index == 3 && attempt <= 2)
                ? new ActivityFailedException("PartX", "System.IO.IOException", "busy")
                : null);

        var (outcome, attempts, _) = await StepFanOut.RunAsync(context, Names, Input, ThreeAttempts, _ => { });

        Assert.NotNull(outcome);
        Assert.Equal(3, attempts);
        Assert.Equal(5 + 2 + 1, context.Calls.Count(c => c == Names.Part));
        Assert.Equal(2, context.Timers.Count);
    }

    [Fact]
    public async Task A_part_failing_every_attempt_fails_the_step_naming_the_part_and_the_fan_in_never_runs()
    {
        var context = new PartsContext(Plan([4], 2), (part, _) =>
            part.Index == 2 ? new ActivityFailedException("PartX", "System.Net.Http.HttpRequestException", "429 Too Many Requests") : null);

        var (outcome, attempts, error) = await StepFanOut.RunAsync(context, Names, Input, ThreeAttempts, _ => { });

        Assert.Null(outcome);
        Assert.Equal(3, attempts);
        Assert.Equal("part 3 of 4 shards: 429 Too Many Requests", error);
        Assert.DoesNotContain(Names.Finish, context.Calls);
    }

    [Fact]
    public async Task Bad_input_in_a_part_fails_the_step_at_once_without_retries()
    {
        var context = new PartsContext(Plan([6], 3), (part, _) => part.Index == 4
            ? new ActivityFailedException("PartX", typeof(PipelineInputException).FullName!, "shard 4: visitors.json, row 9, field 'BadgeId': empty")
            : part.Index == 1 ? new ActivityFailedException("PartX", "System.IO.IOException", "busy") : null);

        var (outcome, attempts, error) = await StepFanOut.RunAsync(context, Names, Input, ThreeAttempts, _ => { });

        Assert.Null(outcome);
        Assert.Equal(1, attempts);
        Assert.Empty(context.Timers);
        Assert.Equal("part 5 of 6 shards: shard 4: visitors.json, row 9, field 'BadgeId': empty", error);
    }

    [Fact]
    public async Task A_reused_step_runs_no_parts_and_no_fan_in()
    {
        var reused = new StepOutcome(PipelineSteps.Recommendations, StepStatuses.Reused, null, null, "fp", DateTimeOffset.UnixEpoch,
            DateTimeOffset.UnixEpoch, "earlier-run", [], [], new Dictionary<string, long>());
        var context = new PartsContext(Plan([], 4) with { Reused = reused }, (_, _) => null);

        var (outcome, _, _) = await StepFanOut.RunAsync(context, Names, Input, ThreeAttempts, _ => { });

        Assert.Equal(("earlier-run", StepStatuses.Reused), (outcome!.ReusedFromRunId, outcome.Status));
        Assert.Equal([Names.Begin], context.Calls);
    }
}
