namespace PipelineFunctions.Core.Steps.Recommendations.Sharding;

/// <summary>A session's embedding as the scorers use it (the graph's text hash is not needed).</summary>
internal sealed record ContextEmbedding(string SessionId, string Model, float[] Vector);
