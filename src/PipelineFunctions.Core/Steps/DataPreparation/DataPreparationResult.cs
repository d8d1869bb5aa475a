using PipelineFunctions.Core.Artifacts;

namespace PipelineFunctions.Core.Steps.DataPreparation;

public sealed record DataPreparationResult(Uri ManifestUri, ArtifactManifest Manifest, DataPreparationMetadata Metadata);
