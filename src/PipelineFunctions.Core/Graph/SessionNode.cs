namespace PipelineFunctions.Core.Graph;

/// <summary>A session node: its id (the key), the streams it has, and every step-1 column as a property.</summary>
public sealed record SessionNode(string SessionId, IReadOnlyList<string> Streams, IReadOnlyDictionary<string, string> Properties);
