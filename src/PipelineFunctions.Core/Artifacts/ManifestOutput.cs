namespace PipelineFunctions.Core.Artifacts;

/// <param name="Rows">Data rows for tables; null for documents.</param>
public sealed record ManifestOutput(string Name, Uri Uri, string Sha256, long Bytes, long? Rows);
