namespace PipelineFunctions.Core.Orchestration;

/// <summary>An artifact a step read or wrote: where it is and its SHA-256.</summary>
public sealed record ArtifactReference(string Name, Uri Uri, string Sha256);
