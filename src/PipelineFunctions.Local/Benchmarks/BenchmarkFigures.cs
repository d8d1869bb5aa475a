using System.Diagnostics;

namespace PipelineFunctions.Local.Benchmarks;

/// <summary>One measured run of a benchmark.</summary>
public sealed record BenchmarkRun(string Label, double Seconds, long AllocatedBytes);

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

/// <summary>Times one run: a full collection first, so runs start alike, then wall time and bytes allocated.</summary>
public static class BenchmarkTimer
{
    public static async Task<BenchmarkRun> MeasureAsync(string label, Func<Task> run)
    {
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: true, compacting: true);
        var allocatedBefore = GC.GetTotalAllocatedBytes(precise: true);
        var watch = Stopwatch.StartNew();
        await run();
        watch.Stop();
        return new BenchmarkRun(label, watch.Elapsed.TotalSeconds, GC.GetTotalAllocatedBytes(precise: true) - allocatedBefore);
    }

    public static long PeakWorkingSet()
    {
        using var process = Process.GetCurrentProcess();
        process.Refresh();
        return process.PeakWorkingSet64;
    }
}
