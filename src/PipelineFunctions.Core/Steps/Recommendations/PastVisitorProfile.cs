namespace PipelineFunctions.Core.Steps.Recommendations;

/// <summary>A past visitor as the similarity search sees them: a key, their attribute values and whether they attended anything.</summary>
internal sealed record PastVisitorProfile(string Key, IReadOnlyList<string?> Attributes);
