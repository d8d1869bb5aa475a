namespace PipelineFunctions.Benchmarks;

/// <summary>
/// What a benchmark measured, in a process that ran only it: the size of the data (facts), each run, and the
/// process's peak working set (VmHWM, covering every run), against the targets of the run that has one.
/// </summary>
public sealed record BenchmarkFigures(
    string Benchmark, string Event, string DataFolder, IReadOnlyDictionary<string, long> Facts, IReadOnlyList<BenchmarkRun> Runs,
    long PeakWorkingSetBytes, int ProcessorCount, double TargetSeconds, long TargetPeakBytes)
{
    /// <summary>The run the time target applies to: the first, cold one.</summary>
    public BenchmarkRun Targeted => Runs[0];

    public bool TimeTargetMet => Targeted.Seconds <= TargetSeconds;
    public bool MemoryTargetMet => PeakWorkingSetBytes <= TargetPeakBytes;
}
