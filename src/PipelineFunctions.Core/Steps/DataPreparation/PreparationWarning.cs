namespace PipelineFunctions.Core.Steps.DataPreparation;

public sealed record PreparationWarning(string Code, string File, string Message, int Count, IReadOnlyList<PreparationWarningExample> Examples);
