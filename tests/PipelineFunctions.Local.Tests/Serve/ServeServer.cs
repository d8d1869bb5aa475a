using System.CommandLine;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using PipelineFunctions.Local.Commands;
using PipelineFunctions.Local.Tests.Support;
using PipelineFunctions.LocalEngine.Runs;
using PipelineFunctions.LocalServer;

namespace PipelineFunctions.Local.Tests.Serve;

/// <summary>
/// A real `pa serve` started in-process through its command (so its options are exercised too) on 127.0.0.1 and a
/// free port, over temporary store, graph, run store and inputs root (holding a copy of samples/vet_lva as "vet_lva").
/// Dispose stops it the way Ctrl+C does (the command's cancellation token), which also waits for runs in flight.
/// </summary>
public sealed partial class ServeServer : IAsyncDisposable
{
    public const string Key = "serve-tests-key";

    /// <summary>Longest wait for a run to finish: generous, the machine is small and shared with other tests.</summary>
    public static readonly TimeSpan RunTimeout = TimeSpan.FromMinutes(3);

    private readonly TempFolder _temp = new();
    private readonly CancellationTokenSource _stop = new();
    private readonly StringWriter _outputText = new(), _errorText = new();
    private readonly TextWriter _output, _error;
    private Task<int>? _serving;

    private ServeServer()
    {
        _output = TextWriter.Synchronized(_outputText);
        _error = TextWriter.Synchronized(_errorText);
        Client = new HttpClient { Timeout = TimeSpan.FromSeconds(60) };
    }

    public Uri BaseUri { get; private set; } = null!;

    /// <summary>A client without the API key; use <see cref="WithKey"/> for mutating requests.</summary>
    public HttpClient Client { get; }

    public string StorePath => _temp.Combine("store");
    public string InputsRoot => _temp.Combine("inputs");
    public string RunStorePath => _temp.Combine("runs.sqlite");

    public string Errors { get { lock (_error) return _errorText.ToString(); } }

    public static async Task<ServeServer> StartAsync(params string[] extraArgs)
    {
        var server = new ServeServer();
        try
        {
            await server.StartCoreAsync(extraArgs);
            return server;
        }
        catch
        {
            await server.DisposeAsync();
            throw;
        }
    }

    private async Task StartCoreAsync(string[] extraArgs)
    {
        SampleCopies.CopyFolder(Repository.Sample("vet_lva"), Path.Combine(InputsRoot, "vet_lva"));
        string[] args =
        [
            "serve", "--port", "0", "--api-key", Key, "--no-schedule", "--inputs-root", InputsRoot,
            "--store", StorePath, "--graph", _temp.Combine("graph"), "--runs", RunStorePath, .. extraArgs,
        ];
        // The settings as pa reads them (its composition root over the environment), for the command built on its own here.
        var settings = new ServiceCollection().AddPaHost(new ConfigurationBuilder().AddEnvironmentVariables().Build()).BuildServiceProvider();
        var root = new RootCommand { ServeCommand.Create(_output, _error, settings.GetRequiredService<PaServices>()) };
        var parsed = root.Parse(args);
        Assert.Empty(parsed.Errors);
        // No process-termination handler: the test's token is the only way to stop it.
        var invocation = new InvocationConfiguration { Output = _output, Error = _error, ProcessTerminationTimeout = null };
        _serving = Task.Run(() => parsed.InvokeAsync(invocation, _stop.Token));

        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        while (true)
        {
            string text;
            lock (_output) text = _outputText.ToString();
            if (ListeningLine().Match(text) is { Success: true } match)
            {
                BaseUri = new Uri(match.Groups[1].Value);
                return;
            }
            if (_serving.IsCompleted)
                throw new InvalidOperationException($"pa serve exited with {await _serving} before listening: {Errors}");
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"pa serve did not print its address within 60 s: {Errors}");
            await Task.Delay(50);
        }
    }

    public HttpRequestMessage WithKey(HttpMethod method, string path, string? key = Key, object? json = null)
    {
        var request = new HttpRequestMessage(method, new Uri(BaseUri, path));
        if (key is not null) request.Headers.Add(ApiKey.HeaderName, key);
        if (json is not null) request.Content = JsonContent.Create(json);
        return request;
    }

    public async Task<HttpResponseMessage> SubmitAsync(string eventName, object body, string? key = Key) =>
        await Client.SendAsync(WithKey(HttpMethod.Post, $"/api/pipelines/{eventName}/runs", key, body));

    public async Task<HttpResponseMessage> SubmitRawAsync(string eventName, string body)
    {
        var request = WithKey(HttpMethod.Post, $"/api/pipelines/{eventName}/runs");
        request.Content = new StringContent(body, MediaTypeHeaderValue.Parse("application/json"));
        return await Client.SendAsync(request);
    }

    /// <summary>Polls a status URI until it answers 200 (finished); returns the status document.</summary>
    public async Task<JsonElement> WaitFinishedAsync(Uri statusUri)
    {
        var deadline = DateTime.UtcNow + RunTimeout;
        while (true)
        {
            using var response = await Client.GetAsync(statusUri);
            var body = await response.Content.ReadAsStringAsync();
            if (response.StatusCode == System.Net.HttpStatusCode.OK) return JsonDocument.Parse(body).RootElement.Clone();
            Assert.True(response.StatusCode == System.Net.HttpStatusCode.Accepted, $"status query answered {(int)response.StatusCode}: {body}");
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"{statusUri} still not finished after {RunTimeout}: {body}");
            await Task.Delay(250);
        }
    }

    /// <summary>
    /// Polls until the instance is Running. A test terminates only then: the runner marks a Pending instance Running
    /// with an unconditional write, so a terminate landing in between would be overwritten.
    /// </summary>
    public async Task WaitRunningAsync(string instanceId)
    {
        var deadline = DateTime.UtcNow + RunTimeout;
        while ((await new SqliteRunStore(RunStorePath).GetAsync(instanceId))?.RuntimeStatus is not RuntimeStatuses.Running)
        {
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"{instanceId} did not start running within {RunTimeout}");
            await Task.Delay(20);
        }
    }

    /// <summary>Every instance in the run store, read directly (not through the API under test).</summary>
    public async Task<IReadOnlyList<RunInstance>> InstancesAsync() =>
        await new SqliteRunStore(RunStorePath).ListAsync(new RunQuery(Top: 10_000));

    /// <summary>Stops the server as Ctrl+C does and returns the command's exit code.</summary>
    public async Task<int> StopAsync()
    {
        await _stop.CancelAsync();
        return await _serving!;
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        // The exit code is checked by StopAsync; here only the clean-up, which must not hide a test's own failure.
        if (_serving is not null) await _serving.ContinueWith(_ => { }, TaskScheduler.Default);
        Client.Dispose();
        _stop.Dispose();
        _temp.Dispose();
    }

    [GeneratedRegex(@"listening on (http://\S+)")]
    private static partial Regex ListeningLine();
}
