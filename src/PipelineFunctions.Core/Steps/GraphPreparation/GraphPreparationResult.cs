using PipelineFunctions.Core.Artifacts;

namespace PipelineFunctions.Core.Steps.GraphPreparation;

public sealed record GraphPreparationResult(Uri ManifestUri, ArtifactManifest Manifest, GraphPreparationMetadata Metadata);
