using System.Diagnostics;

namespace PipelineFunctions.Local.Commands;

/// <summary>
/// One of `pa bench load`'s clients: in a loop, GET a run's status, GET the instance list, think for an interval. It
/// keeps its own results (one client's requests follow each other), so the clients share no lock.
/// </summary>
internal sealed class PollingClient(HttpClient http, string statusPath)
{
    /// <summary>What the dashboard asks for every 2 s (docs/local-api.md, Dashboard).</summary>
    private const string ListPath = "/runtime/webhooks/durabletask/instances?top=50";

    /// <summary>A route's answered requests' latencies (ms) and its failures.</summary>
    public sealed class RouteResults
    {
        public List<double> Latencies { get; } = [];
        public int Unanswered { get; set; }
        public int FailedAnswers { get; set; }
    }

    public IReadOnlyDictionary<string, RouteResults> Results { get; } = new Dictionary<string, RouteResults>
    {
        [LoadBenchmark.StatusRoute] = new(), [LoadBenchmark.ListRoute] = new(),
    };

    /// <summary>Each failure's kind ("503 on status", "HttpRequestException on list") and how often.</summary>
    public Dictionary<string, int> ErrorKinds { get; } = new(StringComparer.Ordinal);

    /// <summary>
    /// Polls from <paramref name="delay"/> on until <paramref name="deadline"/> (a Stopwatch timestamp) has passed and the
    /// run ended.
    /// </summary>
    public async Task RunAsync(TimeSpan delay, TimeSpan interval, long deadline, Task run, CancellationToken cancellationToken)
    {
        await Task.Delay(delay, cancellationToken);
        while (Stopwatch.GetTimestamp() < deadline || !run.IsCompleted)
        {
            await GetAsync(LoadBenchmark.StatusRoute, statusPath, cancellationToken);
            await GetAsync(LoadBenchmark.ListRoute, ListPath, cancellationToken);
            await Task.Delay(interval, cancellationToken);
        }
    }

    private async Task GetAsync(string route, string path, CancellationToken cancellationToken)
    {
        var results = Results[route];
        var started = Stopwatch.GetTimestamp();
        try
        {
            // The whole body read, as a client that shows it would.
            using var response = await http.GetAsync(path, HttpCompletionOption.ResponseContentRead, cancellationToken);
            results.Latencies.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
            if (response.IsSuccessStatusCode) return;
            results.FailedAnswers++;
            Count($"{(int)response.StatusCode} on {route}");
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
        {
            // No answer (refused, reset, or HttpClient's timeout, which surfaces as a cancellation).
            results.Unanswered++;
            Count($"{e.GetType().Name} on {route}");
        }
    }

    private void Count(string kind) => ErrorKinds[kind] = ErrorKinds.GetValueOrDefault(kind) + 1;
}
