namespace PipelineFunctions.Core.Orchestration;

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
    string? Error = null)
{
    /// <summary>
    /// What later steps' activities need of this outcome (which manifest, which fingerprint): its artifact lists and
    /// counts stay in the orchestration, so an activity's input does not grow with every step before it.
    /// </summary>
    public StepOutcome ForLaterSteps() => this with { Inputs = [], Outputs = [], Metrics = new Dictionary<string, long>() };
}
