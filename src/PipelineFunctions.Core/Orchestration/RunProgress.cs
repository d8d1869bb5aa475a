namespace PipelineFunctions.Core.Orchestration;

/// <summary>
/// The custom status of a run, in flight and after a failure: current (or failed) step, per-step state and headline
/// counts, progress. A failed run adds its error, cut to <see cref="RunStatusLimits.ErrorCharacters"/>, and the URI of
/// its full summary (an artifact, since Durable keeps no output for a failed instance). Kept small whatever the show's
/// size: Durable caps custom status at 16 KB counted as UTF-16.
/// </summary>
public sealed record RunProgress(
    string RunId, string Event, string? CurrentStep, int StepsDone, int StepsTotal, IReadOnlyDictionary<string, StepProgress> Steps,
    string? Error = null, Uri? SummaryUri = null);
