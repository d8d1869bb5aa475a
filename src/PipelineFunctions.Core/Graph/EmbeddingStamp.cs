namespace PipelineFunctions.Core.Graph;

/// <summary>What a session's stored embedding was computed from, to decide whether it is stale.</summary>
public sealed record EmbeddingStamp(SessionYear Year, string SessionId, string TextHash, string Model);
