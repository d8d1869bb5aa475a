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
    /// <summary>What the step found wrong without failing (e.g. step 1's data drift above its threshold); empty when nothing.</summary>
    public IReadOnlyList<string> Warnings { get; init; } = [];

    /// <summary>Figures that are not counts, by name (step 1: the population stability index of each attribute, <c>psi_&lt;name&gt;</c>).</summary>
    public IReadOnlyDictionary<string, double> Scores { get; init; } = new Dictionary<string, double>();

    /// <summary>
    /// What later steps' activities need of this outcome (which manifest, which fingerprint): its artifact lists and
    /// counts stay in the orchestration, so an activity's input does not grow with every step before it.
    /// </summary>
    public StepOutcome ForLaterSteps() => this with
    {
        Inputs = [],
        Outputs = [],
        Metrics = new Dictionary<string, long>(),
        Warnings = [],
        Scores = new Dictionary<string, double>(),
    };
}
