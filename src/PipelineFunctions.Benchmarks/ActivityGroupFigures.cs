namespace PipelineFunctions.Benchmarks;

/// <summary>
/// Every call of one activity in a run (a fan-out calls its part activity many times): how many, the slowest and the
/// summed time, and the largest peak and messages, which are what an instance must cope with.
/// </summary>
public sealed record ActivityGroupFigures(
    string Activity, string? Step, int Calls, double MaxSeconds, double TotalSeconds, long PeakWorkingSetBytes, long MaxInputBytes,
    long MaxOutputBytes);
