using System.Collections.Concurrent;
using System.Text.Json;
using PipelineFunctions.Core.Artifacts;
using PipelineFunctions.Core.Orchestration;
using PipelineFunctions.Core.Orchestration.FanOut;

namespace PipelineFunctions.Local.Tests.Support;

/// <summary>
/// Calls the pipeline's activities as the orchestration does, each on a fresh <see cref="PipelineActivities"/> with its
/// input and output crossing as JSON (as between processes), a fan-out's parts of one wave concurrently with at most the
/// plan's MaxInFlight at once. Records every message's size and the most parts of the last step seen in flight.
/// </summary>
public sealed class ActivityDriver(IPipelineServices services)
{
    private readonly ConcurrentQueue<(string Activity, int Bytes)> _messages = new();
    private int _inFlight;

    public IReadOnlyCollection<(string Activity, int Bytes)> Messages => _messages;

    public int MostPartsInFlight { get; private set; }

    public async Task<T> CallAsync<T>(string activity, object input)
    {
        var inputJson = JsonSerializer.SerializeToUtf8Bytes(input, input.GetType(), PipelineJson.Options);
        _messages.Enqueue((activity, inputJson.Length));
        using var document = JsonDocument.Parse(inputJson);
        var output = await new PipelineActivities(services).InvokeAsync(activity, document.RootElement, CancellationToken.None);
        var outputJson = JsonSerializer.SerializeToUtf8Bytes(output, output?.GetType() ?? typeof(object), PipelineJson.Options);
        _messages.Enqueue((activity + " output", outputJson.Length));
        return JsonSerializer.Deserialize<T>(outputJson, PipelineJson.Options)!;
    }

    /// <summary>Plans the run and runs step 1; the input for step 2.</summary>
    public async Task<StepActivityInput> PrepareAsync(PipelineRunRequest request, string runId)
    {
        var run = new PipelineRunInput(request, runId);
        var plan = await CallAsync<RunPlan>(PipelineActivityNames.PlanRun, run);
        var prepared = await CallAsync<StepOutcome>(PipelineActivityNames.PrepareData,
            new StepActivityInput(run, plan, PipelineSteps.DataPreparation, []));
        return Next(new StepActivityInput(run, plan, PipelineSteps.DataPreparation, []), prepared);
    }

    /// <summary>The input of the step after <paramref name="input"/>'s, which ended with <paramref name="outcome"/>.</summary>
    public static StepActivityInput Next(StepActivityInput input, StepOutcome outcome)
    {
        var next = PipelineSteps.All[PipelineSteps.All.ToList().IndexOf(input.Step) + 1];
        return input with { Step = next, Previous = [.. input.Previous, outcome.ForLaterSteps()] };
    }

    public Task<FanOutPlan> BeginAsync(StepActivityInput input) => CallAsync<FanOutPlan>(Names(input).Begin, input);

    public Task<StepPartResult> PartAsync(StepActivityInput input, FanOutPlan plan, int wave, int index) =>
        CallAsync<StepPartResult>(Names(input).Part, new StepPartInput(input, plan, wave, index));

    public Task<StepOutcome> FinishAsync(StepActivityInput input, FanOutPlan plan) =>
        CallAsync<StepOutcome>(Names(input).Finish, new StepFinishInput(input, plan));

    /// <summary>A fanned-out step from plan to fan-in; the parts' results in wave and part order.</summary>
    public async Task<(StepOutcome Outcome, FanOutPlan Plan, List<StepPartResult> Parts)> RunStepAsync(StepActivityInput input)
    {
        var plan = await BeginAsync(input);
        if (plan.Reused is { } reused) return (reused, plan, []);
        MostPartsInFlight = 0;
        var parts = new List<StepPartResult>();
        using var places = new SemaphoreSlim(plan.MaxInFlight);
        for (var wave = 0; wave < plan.Waves.Count; wave++)
        {
            var current = wave;
            parts.AddRange(await Task.WhenAll(Enumerable.Range(0, plan.Waves[wave]).Select(async index =>
            {
                await places.WaitAsync();
                try
                {
                    var now = Interlocked.Increment(ref _inFlight);
                    lock (_messages) MostPartsInFlight = Math.Max(MostPartsInFlight, now);
                    // Off the caller's thread, so parts really overlap.
                    return await Task.Run(() => PartAsync(input, plan, current, index));
                }
                finally
                {
                    Interlocked.Decrement(ref _inFlight);
                    places.Release();
                }
            })));
        }
        return (await FinishAsync(input, plan), plan, parts);
    }

    private static FanOutActivityNames Names(StepActivityInput input) =>
        PipelineActivityNames.FanOutFor(input.Step) ?? throw new ArgumentException($"{input.Step} is not fanned out");
}
