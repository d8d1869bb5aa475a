namespace PipelineFunctions.Core.Steps.Recommendations.Sharding;

/// <summary>A past session with an embedding, as the learned ranker knows it (its vector is in the context's past embeddings).</summary>
internal sealed record ContextPastSession(string SessionId, IReadOnlyList<string> Streams, string Theatre);
