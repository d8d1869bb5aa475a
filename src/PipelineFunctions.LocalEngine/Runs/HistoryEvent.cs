namespace PipelineFunctions.LocalEngine.Runs;

/// <summary>
/// One recorded orchestration event, in call order: an activity's result (or failure), a timer, or the
/// orchestration's start. <see cref="RecordedAt"/> is what CurrentUtcDateTime returns after replaying it.
/// </summary>
/// <param name="Kind">activity, timer</param>
/// <param name="Name">The activity name; for timers the fire time (round-trip format).</param>
/// <param name="StartedAt">When an activity run for real got its slot and started (for the dashboard's timeline); null for
/// timers and for events recorded before the run store kept it.</param>
public sealed record HistoryEvent(
    int Sequence, string Kind, string Name, string? ResultJson, string? FailureType, string? FailureMessage, DateTime RecordedAt,
    DateTime? StartedAt = null);
