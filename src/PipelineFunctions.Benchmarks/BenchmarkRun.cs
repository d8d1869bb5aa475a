namespace PipelineFunctions.Benchmarks;

/// <summary>One measured run of a benchmark.</summary>
public sealed record BenchmarkRun(string Label, double Seconds, long AllocatedBytes);
