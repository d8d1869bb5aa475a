namespace PipelineFunctions.Local.Commands;

/// <summary>
/// What `pa bench load` measured: the polling clients' requests per route and in all, and the same run's duration on a
/// quiet server and under the load, against the targets (no errors, p99 under 100 ms, the run under 10 % slower), which
/// apply to <see cref="All"/>, every request of every route together.
/// </summary>
internal sealed record LoadBenchmarkFigures(
    string Event, string DataFolder, int ProcessorCount, int Clients, double IntervalSeconds, double LoadSeconds,
    IReadOnlyList<LoadRouteFigures> Routes, LoadRouteFigures All, IReadOnlyDictionary<string, int> ErrorKinds,
    double RunSecondsWithoutLoad, double RunSecondsWithLoad)
{
    public const double TargetP99Milliseconds = 100;
    public const double TargetSlowdownPercent = 10;

    public double RequestsPerSecond => All.Requests / LoadSeconds;

    public double SlowdownPercent => (RunSecondsWithLoad / RunSecondsWithoutLoad - 1) * 100;

    public bool ErrorTargetMet => All.Errors == 0;
    public bool LatencyTargetMet => All.P99Milliseconds < TargetP99Milliseconds;
    public bool SlowdownTargetMet => SlowdownPercent < TargetSlowdownPercent;
}
