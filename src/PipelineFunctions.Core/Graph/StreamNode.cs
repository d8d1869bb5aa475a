namespace PipelineFunctions.Core.Graph;

/// <summary>A stream node, keyed case-insensitively by its name.</summary>
public sealed record StreamNode(string Stream, string Description);
