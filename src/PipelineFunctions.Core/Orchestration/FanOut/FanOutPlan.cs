namespace PipelineFunctions.Core.Orchestration.FanOut;

/// <summary>
/// What a fanned-out step's first activity settled: either an earlier run's outcome to reuse, or the parts to run
/// (<see cref="Waves"/>: the number of parts in each wave; a wave starts when the one before it has finished).
/// Small whatever the show's size: the parts find their inputs at deterministic artifact paths of the run.
/// </summary>
/// <param name="Fingerprint">The step's fingerprint, recorded with its outcome by the finishing activity.</param>
/// <param name="Unit">What a part is, for progress ("shards", "batches", "processors").</param>
/// <param name="MaxInFlight">Parts of one wave scheduled at once (the rest wait for a free place).</param>
/// <param name="Token">A step-defined short value every part and the finish receive (for example a context hash).</param>
public sealed record FanOutPlan(
    string Step,
    string Fingerprint,
    DateTimeOffset StartedAt,
    StepOutcome? Reused,
    IReadOnlyList<int> Waves,
    string Unit,
    int MaxInFlight,
    string? Token = null)
{
    public int TotalParts => Waves.Sum();
}
