namespace PipelineFunctions.Core.Graph;

/// <summary>A visitor node: its badge id (the key) and every step-1 column as a property.</summary>
public sealed record VisitorNode(string BadgeId, IReadOnlyDictionary<string, string> Properties)
{
    /// <summary>Set by step 4; read back so incremental runs recommend only for visitors without recommendations.</summary>
    public bool HasRecommendation { get; init; }
    public bool ControlGroup { get; init; }
}
