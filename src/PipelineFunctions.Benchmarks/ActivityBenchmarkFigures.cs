namespace PipelineFunctions.Benchmarks;

/// <summary>What `pa bench activities` measured: every activity of one whole run, each in its own process.</summary>
public sealed record ActivityBenchmarkFigures(
    string Event, string DataFolder, IReadOnlyList<ActivityFigures> Activities, double RunSeconds, int ProcessorCount, long TargetPeakBytes)
{
    /// <summary>The largest peak of any one activity: what an instance must hold.</summary>
    public long LargestPeakBytes => Activities.Count == 0 ? 0 : Activities.Max(a => a.PeakWorkingSetBytes);

    public bool MemoryTargetMet => LargestPeakBytes <= TargetPeakBytes;

    /// <summary>The calls grouped by activity, in the order each activity first ran.</summary>
    public IReadOnlyList<ActivityGroupFigures> ByActivity => Activities
        .GroupBy(a => (a.Activity, a.Step))
        .Select(g => new ActivityGroupFigures(g.Key.Activity, g.Key.Step, g.Count(), g.Max(a => a.Seconds), g.Sum(a => a.Seconds),
            g.Max(a => a.PeakWorkingSetBytes), g.Max(a => a.InputBytes), g.Max(a => a.OutputBytes)))
        .ToList();
}
