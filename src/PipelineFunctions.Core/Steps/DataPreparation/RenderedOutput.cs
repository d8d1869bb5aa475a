namespace PipelineFunctions.Core.Steps.DataPreparation;

/// <summary>A rendered output, ready to publish.</summary>
public sealed record RenderedOutput(string Name, byte[] Content, long? Rows);
