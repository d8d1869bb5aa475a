using System.Runtime.InteropServices;

namespace PipelineFunctions.Core.Steps.Recommendations.Sharding;

/// <summary>
/// A session's embedding as the scorers use it (the graph's text hash is not needed). The vector is kept as its float32
/// bytes (base64 in JSON): exact, and every shard parses it far faster than a JSON array of numbers.
/// </summary>
internal sealed record ContextEmbedding(string SessionId, string Model, byte[] VectorBytes)
{
    public static ContextEmbedding Of(string sessionId, string model, float[] vector) =>
        new(sessionId, model, MemoryMarshal.AsBytes(vector.AsSpan()).ToArray());

    public float[] Vector() => MemoryMarshal.Cast<byte, float>(VectorBytes).ToArray();
}
