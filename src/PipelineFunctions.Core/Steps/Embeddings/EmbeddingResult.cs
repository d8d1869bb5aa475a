using PipelineFunctions.Core.Artifacts;

namespace PipelineFunctions.Core.Steps.Embeddings;

public sealed record EmbeddingResult(Uri ManifestUri, ArtifactManifest Manifest, EmbeddingMetadata Metadata);
