namespace PipelineFunctions.Infrastructure.Tests.Embeddings;

/// <summary>One embeddings request as the fake server received it.</summary>
public sealed record ReceivedRequest(
    int Number, string Method, string Path, string? ApiVersion, string? ApiKey, IReadOnlyList<string> Inputs, int? Dimensions,
    string? EncodingFormat, DateTimeOffset ReceivedAt);
