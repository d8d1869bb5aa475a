namespace PipelineFunctions.Benchmarks;

/// <summary>One activity as a fresh process ran it: its time, its process's peak working set and its message sizes.</summary>
public sealed record ActivityFigures(string Activity, string? Step, double Seconds, long PeakWorkingSetBytes, long InputBytes, long OutputBytes);
