namespace PipelineFunctions.Local.Commands;

/// <summary>
/// One route's requests under `pa bench load`: how many, how many failed (a non-2xx answer or no answer at all) and
/// the latency percentiles of those answered, nearest-rank, in milliseconds.
/// </summary>
internal sealed record LoadRouteFigures(
    string Route, int Requests, int Errors, double P50Milliseconds, double P99Milliseconds, double MaxMilliseconds)
{
    /// <param name="latencies">Milliseconds of every answered request, in any order.</param>
    /// <param name="unanswered">Requests that got no answer (connection error, timeout): counted as requests and errors.</param>
    /// <param name="failedAnswers">Answered requests with a non-2xx status.</param>
    public static LoadRouteFigures From(string route, IEnumerable<double> latencies, int unanswered, int failedAnswers)
    {
        var sorted = latencies.Order().ToArray();
        return new LoadRouteFigures(route, sorted.Length + unanswered, unanswered + failedAnswers,
            Percentile(sorted, 50), Percentile(sorted, 99), sorted.Length == 0 ? 0 : sorted[^1]);
    }

    /// <summary>The nearest-rank percentile: the smallest value with at least <paramref name="percent"/> % of the values at or below it.</summary>
    private static double Percentile(double[] sorted, int percent) =>
        sorted.Length == 0 ? 0 : sorted[Math.Max(0, (int)Math.Ceiling(sorted.Length * percent / 100.0) - 1)];
}
