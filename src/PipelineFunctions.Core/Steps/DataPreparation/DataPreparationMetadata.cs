namespace PipelineFunctions.Core.Steps.DataPreparation;

/// <summary>The metadata.json of step 1: what each processor counted and how long it took, quarantined rows, warnings.</summary>
public sealed record DataPreparationMetadata(
    string Step, string Event, string RunId, DateTimeOffset StartedAt, DateTimeOffset FinishedAt, long DurationMs, long ReadDurationMs,
    IReadOnlyDictionary<string, ProcessorMetrics> Processors,
    int QuarantinedCount, IReadOnlyList<QuarantinedSession> Quarantined,
    IReadOnlyList<PreparationWarning> Warnings)
{
    /// <summary>This year's visitors against last year's: population stability per similarity attribute and of the stream mix.</summary>
    public DataDrift? Drift { get; init; }
}
