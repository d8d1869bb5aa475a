using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.Logging.Abstractions;
using PipelineFunctions.Core;
using PipelineFunctions.Core.Events;
using PipelineFunctions.Infrastructure.Artifacts;
using PipelineFunctions.Infrastructure.Graph;
using PipelineFunctions.LocalEngine;
using PipelineFunctions.LocalServer;

namespace PipelineFunctions.Local.Commands;

/// <summary>
/// `pa bench load`'s measurement: `pa serve`'s server in this process over throw-away stores, on loopback. The show runs
/// once on the quiet server, then again as a new forced run while many HTTP clients poll its status and the instance
/// list as dashboards and scripts would; the load lasts its duration, and longer if the run is still going, so the
/// whole run is under load.
/// </summary>
internal static class LoadBenchmark
{
    public const string StatusRoute = "status", ListRoute = "list";

    /// <summary>A request still unanswered after this long counts as an error rather than holding its client forever.</summary>
    private static readonly TimeSpan RequestTimeout = TimeSpan.FromSeconds(30);

    public sealed record Settings(int Clients, TimeSpan Duration, TimeSpan Interval);

    public static async Task<LoadBenchmarkFigures> MeasureAsync(
        EventConfig config, string showFolder, string configRoot, Settings settings, TextWriter progress, CancellationToken cancellationToken)
    {
        var workspace = Directory.CreateTempSubdirectory("pa-bench-load-");
        try
        {
            // The server's inputs root is the show's parent, so the request names the show's folder as its input.
            var inputs = new InputsRoot(Path.GetDirectoryName(showFolder)!);
            var input = Path.GetFileName(showFolder);
            await using var host = new LocalHost(ArtifactStoreLocator.Open(Path.Combine(workspace.FullName, "store")),
                new SqliteAgendaGraphFactory(Path.Combine(workspace.FullName, "graph")), Path.Combine(workspace.FullName, "runs.sqlite"),
                configRoot, inputs.Open,
                NullLoggerFactory.Instance, TimeProvider.System, maxConcurrentRuns: 1);
            var key = ApiKey.Generate();
            await using var server = await PipelineServer.StartAsync(
                new ServeSettings(IPAddress.Loopback, 0, key, inputs, Schedule: null), host, configRoot, cancellationToken);
            // One connection per client, kept open, as a poller's HttpClient would; async all through, so the clients hold
            // no thread while they wait and the run's activities keep the thread pool they would have under `pa serve`.
            using var http = new HttpClient(new SocketsHttpHandler
            {
                MaxConnectionsPerServer = settings.Clients + 1, PooledConnectionLifetime = Timeout.InfiniteTimeSpan, UseProxy = false,
            })
            {
                BaseAddress = server.Address, Timeout = RequestTimeout,
            };
            http.DefaultRequestHeaders.Add(ApiKey.HeaderName, key.Value);
            var run = new BenchmarkRunner(http, host, config.Event.Name, input, showFolder);

            // The same show once, unmeasured: the code compiled and optimised (tiered compilation) and the heap grown before either
            // measured run, which would otherwise make the first, quiet run the slower and hide a slowdown.
            await progress.WriteLineAsync($"warm-up: {config.Event.Name} on {showFolder}, unmeasured ...");
            await run.FinishAsync(await run.StartAsync("load-warm-up", "dev", cancellationToken), cancellationToken);
            await progress.WriteLineAsync($"run 1 of 2: the same show again, no load ...");
            var quiet = await run.StartAsync("load-quiet", "test", cancellationToken);
            var quietSeconds = await run.FinishAsync(quiet, cancellationToken);

            await progress.WriteLineAsync(
                $"run 2 of 2: the same show again ({quietSeconds:F1} s without load), {settings.Clients} clients polling for "
                + $"{settings.Duration.TotalSeconds:F0} s ...");
            var loaded = await run.StartAsync("load-polled", "prod", cancellationToken);
            var loadedRun = run.FinishAsync(loaded, cancellationToken);
            var loadStarted = Stopwatch.GetTimestamp();
            var deadline = loadStarted + (long)(settings.Duration.TotalSeconds * Stopwatch.Frequency);
            var clients = Enumerable.Range(0, settings.Clients)
                .Select(_ => new PollingClient(http, $"/runtime/webhooks/durabletask/instances/{loaded.Id}"))
                .ToArray();
            // Spread the clients' first requests over one interval, as pollers started at different times would be.
            await Task.WhenAll(clients.Select((client, i) => Task.Run(() =>
                client.RunAsync(settings.Interval * i / settings.Clients, settings.Interval, deadline, loadedRun, cancellationToken),
                cancellationToken)));
            var loadSeconds = Stopwatch.GetElapsedTime(loadStarted).TotalSeconds;
            var loadedSeconds = await loadedRun;

            var routes = new[] { StatusRoute, ListRoute }
                .Select(route => Figures(route, clients.Select(c => c.Results[route]).ToList()))
                .ToList();
            var all = Figures("all", [.. clients.SelectMany(c => c.Results.Values)]);
            var errorKinds = clients.SelectMany(c => c.ErrorKinds)
                .GroupBy(e => e.Key, StringComparer.Ordinal)
                .ToDictionary(g => g.Key, g => g.Sum(e => e.Value), StringComparer.Ordinal);
            return new LoadBenchmarkFigures(config.Event.Name, showFolder, Environment.ProcessorCount, settings.Clients,
                settings.Interval.TotalSeconds, loadSeconds, routes, all, errorKinds, quietSeconds, loadedSeconds);
        }
        finally
        {
            workspace.Delete(recursive: true);
        }
    }

    private static LoadRouteFigures Figures(string route, IReadOnlyList<PollingClient.RouteResults> results) =>
        LoadRouteFigures.From(route, results.SelectMany(r => r.Latencies), results.Sum(r => r.Unanswered), results.Sum(r => r.FailedAnswers));

    /// <summary>Submits a run over HTTP and times it to its end.</summary>
    private sealed class BenchmarkRunner(HttpClient http, LocalHost host, string eventName, string input, string showFolder)
    {
        public sealed record Started(string Id, long Timestamp);

        /// <summary>
        /// A forced run (nothing reused from the other) on a graph environment of its own, so both runs start from an empty
        /// graph and do the same work.
        /// </summary>
        public async Task<Started> StartAsync(string instanceId, string graphEnvironment, CancellationToken cancellationToken)
        {
            var started = Stopwatch.GetTimestamp();
            using var response = await http.PostAsJsonAsync($"/api/pipelines/{eventName}/runs",
                new { input, force = true, graphEnvironment, instanceId }, cancellationToken);
            if (response.StatusCode != HttpStatusCode.Accepted)
            {
                var problem = await response.Content.ReadAsStringAsync(cancellationToken);
                throw new PipelineInputException(showFolder, $"the server refused the benchmark run ({(int)response.StatusCode}): {problem}");
            }
            return new Started(instanceId, started);
        }

        /// <summary>Seconds from the submission to the run's end; a run that did not complete stops the benchmark.</summary>
        public async Task<double> FinishAsync(Started run, CancellationToken cancellationToken)
        {
            // The runner's own completion, not a poll: the time is the run's, and waiting adds no requests of its own.
            await host.Runner.WaitAsync(run.Id).WaitAsync(cancellationToken);
            var seconds = Stopwatch.GetElapsedTime(run.Timestamp).TotalSeconds;
            using var status = JsonDocument.Parse(
                await http.GetStringAsync($"/runtime/webhooks/durabletask/instances/{run.Id}", cancellationToken));
            var runtimeStatus = status.RootElement.GetProperty("runtimeStatus").GetString();
            if (runtimeStatus != "Completed")
                throw new PipelineInputException(showFolder,
                    $"benchmark run {run.Id} ended {runtimeStatus}: {status.RootElement.GetProperty("output")}");
            return seconds;
        }
    }
}
