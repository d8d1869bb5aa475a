namespace PipelineFunctions.Core.Steps.DataPreparation;

/// <summary>A rendered output, ready to publish.</summary>
internal sealed record RenderedOutput(string Name, byte[] Content, long? Rows);
