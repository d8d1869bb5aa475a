namespace PipelineFunctions.Core.Inputs;

/// <summary>What was read from one input: its name, URI, SHA-256 and size.</summary>
internal sealed record InputFileDigest(string Name, Uri Uri, string Sha256, long Bytes);
