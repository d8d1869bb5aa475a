using PipelineFunctions.Core.Artifacts;

namespace PipelineFunctions.Core.Steps.Recommendations;

public sealed record RecommendationResult(Uri ManifestUri, ArtifactManifest Manifest, RecommendationMetadata Metadata);
