namespace PipelineFunctions.Core.Graph;

/// <summary>A session's embedding with the hash of the text it was computed from and the model that computed it.</summary>
public sealed record SessionEmbedding(SessionYear Year, string SessionId, string TextHash, string Model, float[] Vector);
