namespace PipelineFunctions.Core.Artifacts;

/// <summary>One artifact of a listing.</summary>
public sealed record ArtifactEntry(ArtifactPath Path, Uri Uri, long Length);
