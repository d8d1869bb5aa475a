using System.Diagnostics;

namespace PipelineFunctions.Benchmarks;

/// <summary>Times one run: a full collection first, so runs start alike, then wall time and bytes allocated.</summary>
internal static class BenchmarkTimer
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
