namespace PipelineFunctions.Core.Orchestration;

/// <summary>An artifact a step read or wrote: where it is and its SHA-256.</summary>
public sealed record ArtifactReference(string Name, Uri Uri, string Sha256);

/// <summary>Step outcome statuses in the run summary.</summary>
public static class StepStatuses
{
    public const string Pending = "pending", Running = "running", Succeeded = "succeeded", Reused = "reused", Failed = "failed", Skipped = "skipped";
}

/// <summary>
/// What one step activity returns (small: URIs, hashes, counts; never rows). <see cref="Fingerprint"/> identifies the
/// code, inputs and parameters the outputs came from, so a later run with the same fingerprint can reuse them.
/// </summary>
public sealed record StepOutcome(
    string Step,
    string Status,
    Uri? ManifestUri,
    string? ManifestSha256,
    string Fingerprint,
    DateTimeOffset StartedAt,
    DateTimeOffset FinishedAt,
    string? ReusedFromRunId,
    IReadOnlyList<ArtifactReference> Inputs,
    IReadOnlyList<ArtifactReference> Outputs,
    IReadOnlyDictionary<string, long> Metrics,
    int Attempts = 1,
    string? Error = null);

/// <summary>The ranker retraining that follows a weekly run.</summary>
public sealed record RetrainingOutcome(string Candidate, bool Promoted, string Reason, double CandidateNdcgAt10, double? CurrentNdcgAt10);

/// <summary>The orchestration's output: the request and every step's outcome.</summary>
public sealed record RunSummary(
    string RunId,
    string Event,
    string Status,
    PipelineRunRequest Request,
    DateTime StartedAt,
    DateTime FinishedAt,
    IReadOnlyList<StepOutcome> Steps,
    RetrainingOutcome? Retraining,
    string? Error);

/// <summary>One step's line in the custom status.</summary>
public sealed record StepProgress(string Status, int Attempts, IReadOnlyDictionary<string, long>? Counts);

/// <summary>
/// The custom status of a run, in flight and after a failure: current (or failed) step, per-step state and headline
/// counts, progress. A failed run adds its error, cut to <see cref="RunStatusLimits.ErrorCharacters"/>, and the URI of
/// its full summary (an artifact, since Durable keeps no output for a failed instance). Kept small whatever the show's
/// size: Durable caps custom status at 16 KB counted as UTF-16.
/// </summary>
public sealed record RunProgress(
    string RunId, string Event, string? CurrentStep, int StepsDone, int StepsTotal, IReadOnlyDictionary<string, StepProgress> Steps,
    string? Error = null, Uri? SummaryUri = null);
