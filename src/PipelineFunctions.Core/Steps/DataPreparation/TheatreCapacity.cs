namespace PipelineFunctions.Core.Steps.DataPreparation;

public sealed record TheatreCapacity(string Theatre, int Capacity);
