using PipelineFunctions.Core.Artifacts;

namespace PipelineFunctions.Core.Steps.Recommendations;

/// <param name="ShardsReused">Shards copied from an earlier run that scored the same visitors in the same context.</param>
public sealed record RecommendationResult(Uri ManifestUri, ArtifactManifest Manifest, RecommendationMetadata Metadata, int ShardsReused = 0);
