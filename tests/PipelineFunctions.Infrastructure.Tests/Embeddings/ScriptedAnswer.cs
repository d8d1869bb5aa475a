using System.Text.Json;

namespace PipelineFunctions.Infrastructure.Tests.Embeddings;

/// <summary>What the fake server answers to one request instead of embeddings.</summary>
public sealed record ScriptedAnswer(int Status, string? Body = null, IReadOnlyDictionary<string, string>? Headers = null, TimeSpan Delay = default)
{
    public static ScriptedAnswer Error(int status, string code, IReadOnlyDictionary<string, string>? headers = null) =>
        new(status, JsonSerializer.Serialize(new { error = new { code, message = $"scripted {status}" } }), headers);

    /// <summary>A normal answer, sent only after <paramref name="delay"/>.</summary>
    public static ScriptedAnswer SlowSuccess(TimeSpan delay) => new(200, Delay: delay);
}
