namespace PipelineFunctions.Core.Steps.DataPreparation;

/// <summary>
/// An output ready to publish: <paramref name="Write"/> renders it onto the stream the store reads, so no output is ever
/// held whole in memory. It may be called again (a retried publication) and writes the same bytes each time.
/// </summary>
internal sealed record RenderedOutput(string Name, Action<Stream, CancellationToken> Write, long? Rows);
