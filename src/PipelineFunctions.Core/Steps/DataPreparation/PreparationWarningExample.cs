namespace PipelineFunctions.Core.Steps.DataPreparation;

public sealed record PreparationWarningExample(long? Row, string? Field, string? Value);
