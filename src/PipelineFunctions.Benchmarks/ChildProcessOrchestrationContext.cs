using System.Text.Json;
using PipelineFunctions.Core.Artifacts;
using PipelineFunctions.Core.Orchestration;

namespace PipelineFunctions.Benchmarks;

/// <summary>
/// Runs the real orchestration with every activity call handed to a fresh process, the way a Functions host may place
/// each activity on another instance: only the JSON messages cross, the artifacts stay in the shared workspace.
/// Nothing is replayed, so the context is never replaying and time is the clock's. A fan-out's activities run as
/// parallel processes, one per core, as a Functions app would spread them over instances.
/// </summary>
internal sealed class ChildProcessOrchestrationContext(
    string workspaceFolder, string configRoot, Func<ActivityCall, CancellationToken, Task<ActivityFigures>> runActivity,
    CancellationToken cancellationToken) : IPipelineOrchestrationContext
{
    private readonly SemaphoreSlim _cores = new(Environment.ProcessorCount);
    private int _calls;

    public List<ActivityFigures> Activities { get; } = [];

    public string InstanceId => BenchmarkWorkspace.RunId;
    public DateTime CurrentUtcDateTime => DateTime.UtcNow;
    public bool IsReplaying => false;

    public async Task<TResult> CallActivityAsync<TResult>(string name, object? input)
    {
        var number = Interlocked.Increment(ref _calls);
        var inputFile = Path.Combine(workspaceFolder, $"activity-{number:D3}-{name}.input.json");
        var outputFile = Path.Combine(workspaceFolder, $"activity-{number:D3}-{name}.output.json");
        await File.WriteAllBytesAsync(inputFile, PipelineJson.Serialize(input), cancellationToken);
        await _cores.WaitAsync(cancellationToken);
        ActivityFigures figures;
        try
        {
            figures = await runActivity(new ActivityCall(name, inputFile, outputFile, workspaceFolder, configRoot), cancellationToken);
        }
        finally
        {
            _cores.Release();
        }
        lock (Activities) Activities.Add(figures);
        await using var output = File.OpenRead(outputFile);
        return await JsonSerializer.DeserializeAsync<TResult>(output, PipelineJson.Options, cancellationToken)
            ?? throw new InvalidOperationException($"activity {name} returned nothing");
    }

    public Task CreateTimerAsync(DateTime fireAtUtc, CancellationToken timerCancellation)
    {
        var wait = fireAtUtc - DateTime.UtcNow;
        return wait > TimeSpan.Zero ? Task.Delay(wait, timerCancellation) : Task.CompletedTask;
    }

    public void SetCustomStatus(object? status)
    {
    }

    public Guid NewGuid() => Guid.NewGuid();
}
