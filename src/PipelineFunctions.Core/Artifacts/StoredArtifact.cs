namespace PipelineFunctions.Core.Artifacts;

/// <summary>What a store knows of one artifact.</summary>
public sealed record StoredArtifact(ArtifactPath Path, Uri Uri, string Sha256, long Length);
