using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Data.Sqlite;
using PipelineFunctions.Core.Orchestration;
using PipelineFunctions.Local.Tests.Support;
using PipelineFunctions.LocalEngine.Runs;
using PipelineFunctions.LocalServer;

namespace PipelineFunctions.Local.Tests.Recovery;

/// <summary>
/// The folders `pa serve` processes share in a recovery test: store, graph, run store and an inputs root holding a copy
/// of samples/vet_lva. Reads the run store directly (not through a server, which a test kills).
/// </summary>
public sealed class ServeWorkspace : IDisposable
{
    public const string Key = "recovery-tests-key";

    /// <summary>Seconds of the servers' lease (PA_RUN_LEASE_SECONDS): another server takes over this long after a kill.</summary>
    public const int LeaseSeconds = 2;

    /// <summary>Longest wait for a run or a takeover: generous, the machine is small and shared with other tests.</summary>
    public static readonly TimeSpan Patience = TimeSpan.FromMinutes(4);

    private readonly TempFolder _temp = new();

    public ServeWorkspace() => SampleCopies.CopyFolder(Repository.Sample("vet_lva"), Path.Combine(InputsRoot, "vet_lva"));

    public string InputsRoot => _temp.Combine("inputs");
    public string StorePath => _temp.Combine("store");
    public string GraphPath => _temp.Combine("graph");
    public string RunStorePath => _temp.Combine("runs.sqlite");

    /// <summary>
    /// Starts the built `pa serve` on these folders, as a child process a test can kill as a crash does (SIGKILL: no shutdown
    /// code runs), and waits until it listens. A short lease makes a second server take over within seconds.
    /// </summary>
    public async Task<PaProcess> StartServeAsync()
    {
        var server = PaProcess.Start(Repository.Root, new Dictionary<string, string>
        {
            ["PA_RUN_LEASE_SECONDS"] = LeaseSeconds.ToString(),
            // One activity at a time: each step and each fan-out lasts long enough for a test to stop the server inside it.
            ["PA_PARALLEL_ACTIVITIES"] = "1",
        }, "serve", "--port", "0", "--api-key", Key, "--no-schedule", "--inputs-root", InputsRoot, "--store", StorePath, "--graph", GraphPath,
            "--runs", RunStorePath);
        try
        {
            await server.ListeningAsync(TimeSpan.FromMinutes(1));
            return server;
        }
        catch
        {
            await server.DisposeAsync();
            throw;
        }
    }

    /// <summary>Submits a vet_lva run to a server; fails the test unless it is accepted.</summary>
    public static async Task SubmitAsync(PaProcess server, string instanceId, IReadOnlyDictionary<string, object>? parameters = null,
        string? graphEnvironment = null)
    {
        using var client = new HttpClient { Timeout = TimeSpan.FromMinutes(1) };
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(server.BaseUri, "/api/pipelines/vet_lva/runs"));
        request.Headers.Add(ApiKey.HeaderName, Key);
        var body = new Dictionary<string, object> { ["input"] = "vet_lva", ["instanceId"] = instanceId, ["force"] = true };
        if (parameters is not null) body["parameters"] = parameters;
        if (graphEnvironment is not null) body["graphEnvironment"] = graphEnvironment;
        request.Content = JsonContent.Create(body);
        using var response = await client.SendAsync(request);
        Assert.True(response.StatusCode == System.Net.HttpStatusCode.Accepted, await response.Content.ReadAsStringAsync());
    }

    public async Task<RunInstance?> InstanceAsync(string instanceId)
    {
        var store = new SqliteRunStore(RunStorePath);
        return await store.GetAsync(instanceId);
    }

    public async Task<IReadOnlyList<HistoryEvent>> HistoryAsync(string instanceId) =>
        await new SqliteRunStore(RunStorePath).GetHistoryAsync(instanceId);

    /// <summary>The run's custom status, as the orchestration last wrote it.</summary>
    public async Task<RunProgress?> ProgressAsync(string instanceId) => RunSummaries.Progress((await InstanceAsync(instanceId))?.CustomStatusJson);

    /// <summary>The process holding the instance's lease (its owner is machine:pid:guid), or null when none does.</summary>
    public async Task<int?> LeaseHolderAsync(string instanceId)
    {
        await using var connection = new SqliteConnection(
            new SqliteConnectionStringBuilder { DataSource = RunStorePath, Mode = SqliteOpenMode.ReadOnly, Pooling = false }.ToString());
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT lease_owner FROM instances WHERE instance_id = $id";
        command.Parameters.AddWithValue("$id", instanceId);
        return await command.ExecuteScalarAsync() is string owner ? int.Parse(owner.Split(':')[^2]) : null;
    }

    /// <summary>Polls until the condition holds; fails the test after <see cref="Patience"/>.</summary>
    public static async Task WaitUntilAsync(Func<Task<bool>> condition, string what, TimeSpan? poll = null)
    {
        var deadline = DateTime.UtcNow + Patience;
        while (!await condition())
        {
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"{what}: not within {Patience}");
            await Task.Delay(poll ?? TimeSpan.FromMilliseconds(100));
        }
    }

    /// <summary>Waits until the instance is Completed (fails the test if it ends otherwise).</summary>
    public async Task<RunInstance> WaitCompletedAsync(string instanceId)
    {
        RunInstance? instance = null;
        await WaitUntilAsync(async () =>
        {
            instance = await InstanceAsync(instanceId);
            return instance is not null && RuntimeStatuses.IsFinal(instance.RuntimeStatus);
        }, $"{instanceId} to finish");
        Assert.True(instance!.RuntimeStatus == RuntimeStatuses.Completed, $"{instanceId} {instance.RuntimeStatus}: {instance.OutputJson}");
        return instance;
    }

    /// <summary>Every export of a completed run's step 4 (not its metadata, which records times) by name, as bytes.</summary>
    public static Dictionary<string, byte[]> Exports(RunInstance completed)
    {
        using var summary = JsonDocument.Parse(completed.OutputJson!);
        var step = summary.RootElement.GetProperty("steps").EnumerateArray()
            .Single(s => s.GetProperty("step").GetString() == PipelineSteps.Recommendations);
        var exports = new Dictionary<string, byte[]>(StringComparer.Ordinal);
        foreach (var output in step.GetProperty("outputs").EnumerateArray())
        {
            var name = output.GetProperty("name").GetString()!;
            if (name != "metadata.json") exports[name] = File.ReadAllBytes(new Uri(output.GetProperty("uri").GetString()!).LocalPath);
        }
        Assert.NotEmpty(exports);
        return exports;
    }

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        _temp.Dispose();
    }
}
