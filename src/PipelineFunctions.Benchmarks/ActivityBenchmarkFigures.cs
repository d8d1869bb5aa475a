namespace PipelineFunctions.Benchmarks;

/// <summary>What `pa bench activities` measured: every activity of one whole run, each in its own process.</summary>
public sealed record ActivityBenchmarkFigures(
    string Event, string DataFolder, IReadOnlyList<ActivityFigures> Activities, double RunSeconds, int ProcessorCount, long TargetPeakBytes)
{
    /// <summary>The largest peak of any one activity: what an instance must hold.</summary>
    public long LargestPeakBytes => Activities.Count == 0 ? 0 : Activities.Max(a => a.PeakWorkingSetBytes);

    public bool MemoryTargetMet => LargestPeakBytes <= TargetPeakBytes;
}
