namespace PipelineFunctions.Core.Artifacts;

public sealed record ManifestInput(string Name, Uri Uri, string Sha256, long Bytes);
