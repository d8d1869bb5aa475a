namespace PipelineFunctions.Core.Steps.DataPreparation;

/// <summary>One YES cell of a wide mapping matrix: the row's key (job role or specialisation) maps to the column's stream.</summary>
internal sealed record StreamMapping(string Key, string Stream);
