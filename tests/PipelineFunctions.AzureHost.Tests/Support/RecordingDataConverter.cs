using System.Collections.Concurrent;
using System.Text.Json;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Converters;

namespace PipelineFunctions.AzureHost.Tests.Support;

/// <summary>
/// The app's JSON conventions as Durable's data converter (what the Functions extension does with the worker's
/// serializer), recording every payload the engine serializes: orchestration inputs and outputs, activity inputs and
/// results, and custom status, each with its CLR type and its size in characters.
/// </summary>
public sealed class RecordingDataConverter(JsonSerializerOptions options) : DataConverter
{
    private readonly JsonDataConverter _inner = new(options);

    public ConcurrentQueue<(string Type, string Json)> Payloads { get; } = new();

    public override string? Serialize(object? value)
    {
        var json = _inner.Serialize(value);
        if (json is not null) Payloads.Enqueue((value?.GetType().Name ?? "null", json));
        return json;
    }

    public override object? Deserialize(string? data, Type targetType) => _inner.Deserialize(data, targetType);
}
