using PipelineFunctions.Core.Graph;

namespace PipelineFunctions.Core.Steps.Embeddings;

/// <summary>A session whose stored vector is missing or was computed from another text or model.</summary>
/// <param name="Hash">SHA-256 of <paramref name="Text"/>, stored with the vector.</param>
internal sealed record StaleSession(SessionYear Year, string Id, string Text, string Hash);
