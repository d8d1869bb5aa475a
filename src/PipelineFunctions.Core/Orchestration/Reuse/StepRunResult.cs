using PipelineFunctions.Core.Artifacts;

namespace PipelineFunctions.Core.Orchestration.Reuse;

/// <summary>What a step that really ran published: its manifest, where it is, and the counts its outcome reports.</summary>
internal sealed record StepRunResult(Uri ManifestUri, ArtifactManifest Manifest, IReadOnlyDictionary<string, long> Metrics);
