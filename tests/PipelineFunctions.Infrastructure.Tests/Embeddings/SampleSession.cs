namespace PipelineFunctions.Infrastructure.Tests.Embeddings;

/// <summary>A session of the committed samples as step 3 will embed it: its text and the streams it belongs to.</summary>
public sealed record SampleSession(string SessionId, string Text, IReadOnlyList<string> Streams);
