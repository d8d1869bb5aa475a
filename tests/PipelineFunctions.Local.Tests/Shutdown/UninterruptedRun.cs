using PipelineFunctions.Core.Orchestration;
using PipelineFunctions.Local.Tests.Support;
using PipelineFunctions.LocalEngine;

namespace PipelineFunctions.Local.Tests.Shutdown;

/// <summary>The sample run once without interruption, in-process: the exports and activity sequence a stopped and resumed run must match.</summary>
public sealed class UninterruptedRun : IAsyncLifetime
{
    private readonly TempFolder _temp = new();

    public IReadOnlyDictionary<string, string> Exports { get; private set; } = null!;

    /// <summary>The activities the run completed, in history order (kind and name).</summary>
    public IReadOnlyList<string> Activities { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        await using var host = TestLocalHost.Open(_temp.Path);
        await host.Runner.CreateAsync(new PipelineRunRequest("vet_lva", Repository.Sample("vet_lva")), "uninterrupted");
        var instance = await host.Runner.RunAsync("uninterrupted");
        Assert.True(instance.RuntimeStatus == "Completed", instance.OutputJson);
        (Exports, Activities) = await DescribeAsync(host, "uninterrupted");
    }

    public Task DisposeAsync()
    {
        _temp.Dispose();
        return Task.CompletedTask;
    }

    /// <summary>A completed run's exports (name and SHA-256, the run-specific metadata.json left out) and its completed activities.</summary>
    public static async Task<(Dictionary<string, string> Exports, List<string> Activities)> DescribeAsync(LocalHost host, string id)
    {
        var instance = (await host.RunStore.GetAsync(id))!;
        var summary = (await host.SummaryAsync(instance))!;
        var exports = summary.Steps.Single(s => s.Step == PipelineSteps.Recommendations).Outputs
            .Where(o => o.Name != "metadata.json").ToDictionary(o => o.Name, o => o.Sha256);
        var history = await host.RunStore.GetHistoryAsync(id);
        Assert.All(history, e => Assert.Null(e.FailureType));
        return (exports, history.Select(e => $"{e.Kind} {e.Name}").ToList());
    }
}
