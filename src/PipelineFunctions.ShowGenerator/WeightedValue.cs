namespace PipelineFunctions.ShowGenerator;

/// <summary>A value with a share, e.g. a country.</summary>
internal sealed record WeightedValue(string Value, double Weight);
