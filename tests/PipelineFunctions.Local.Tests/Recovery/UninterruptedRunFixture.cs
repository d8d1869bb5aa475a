using PipelineFunctions.LocalEngine.Runs;

namespace PipelineFunctions.Local.Tests.Recovery;

/// <summary>
/// One uninterrupted run through a `pa serve` process, shared by the crash tests as what a recovered run must equal: its
/// step 4 exports and the activities of its history, in order.
/// </summary>
public sealed class UninterruptedRunFixture : IAsyncLifetime
{
    /// <summary>Shards of 5 of the sample's 120 visitors: step 4 fans out to some two dozen parts, one at a time.</summary>
    public static readonly IReadOnlyDictionary<string, object> Parameters = new Dictionary<string, object> { ["recommendation.shard_size"] = 5 };

    public Dictionary<string, byte[]> Exports { get; private set; } = null!;

    public IReadOnlyList<HistoryEvent> History { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        using var workspace = new ServeWorkspace();
        await using var server = await workspace.StartServeAsync();
        await ServeWorkspace.SubmitAsync(server, "whole", Parameters);
        Exports = ServeWorkspace.Exports(await workspace.WaitCompletedAsync("whole"));
        History = await workspace.HistoryAsync("whole");
    }

    public Task DisposeAsync() => Task.CompletedTask;
}
