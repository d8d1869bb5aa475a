using PipelineFunctions.Core.Artifacts;

namespace PipelineFunctions.Core.Orchestration.Reuse;

/// <summary>What a step that really ran published: its manifest, where it is, and the counts its outcome reports.</summary>
internal sealed record StepRunResult(Uri ManifestUri, ArtifactManifest Manifest, IReadOnlyDictionary<string, long> Metrics)
{
    /// <summary>The outcome's <see cref="StepOutcome.Warnings"/> and <see cref="StepOutcome.Scores"/>.</summary>
    public IReadOnlyList<string> Warnings { get; init; } = [];

    public IReadOnlyDictionary<string, double> Scores { get; init; } = new Dictionary<string, double>();
}
