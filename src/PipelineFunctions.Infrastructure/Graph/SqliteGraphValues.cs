using System.Buffers;
using System.Buffers.Binary;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace PipelineFunctions.Infrastructure.Graph;

/// <summary>How node properties, stream lists and vectors are stored in the embedded graph's columns.</summary>
internal static class SqliteGraphValues
{
    // Relaxed escaping: the text stays readable in a SQLite browser (é, not \u00E9); it is never embedded in HTML.
    private static readonly JsonWriterOptions WriterOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>A JSON object with the keys in the dictionary's order; a null value is stored as "".</summary>
    public static string PropertiesJson(IReadOnlyDictionary<string, string>? properties)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        using (var writer = new Utf8JsonWriter(buffer, WriterOptions))
        {
            writer.WriteStartObject();
            if (properties is not null)
                foreach (var (key, value) in properties)
                    writer.WriteString(key, value ?? "");
            writer.WriteEndObject();
        }
        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    /// <summary>The stored object, keys in stored order.</summary>
    public static OrderedDictionary<string, string> ReadProperties(string json) => ReadProperties(Encoding.UTF8.GetBytes(json), null);

    /// <summary>The stored object (UTF-8), keys in stored order. <paramref name="keys"/>, shared across the rows of one read,
    /// lets rows with the same columns share their key strings instead of allocating them again for every row. Only
    /// <paramref name="columns"/> are kept when given: the other values are skipped, never decoded into strings.</summary>
    public static OrderedDictionary<string, string> ReadProperties(ReadOnlySpan<byte> utf8Json, PropertyKeyCache? keys,
        IReadOnlySet<string>? columns = null)
    {
        var properties = new OrderedDictionary<string, string>(keys?.LastCount ?? 0, StringComparer.Ordinal);
        var reader = new Utf8JsonReader(utf8Json);
        reader.Read(); // StartObject
        for (var position = 0; reader.Read() && reader.TokenType == JsonTokenType.PropertyName; position++)
        {
            var key = keys is null ? reader.GetString()! : keys.Key(ref reader, position);
            reader.Read();
            if (columns is null || columns.Contains(key)) properties[key] = reader.GetString() ?? "";
        }
        if (keys is not null) keys.LastCount = properties.Count;
        return properties;
    }

    /// <summary>
    /// Full-mode update of stored properties, with the semantics of Cypher's <c>SET n += row.properties</c>: the given
    /// keys are set (new ones appended after the stored ones), keys absent from the input are kept.
    /// Returns null when that changes nothing.
    /// </summary>
    public static string? MergedPropertiesIfChanged(string storedJson, string givenJson, IReadOnlyDictionary<string, string>? given)
    {
        if (string.Equals(storedJson, givenJson, StringComparison.Ordinal) || given is null) return null;
        var stored = ReadProperties(storedJson);
        var changed = false;
        foreach (var (key, value) in given)
        {
            var normalised = value ?? "";
            if (stored.TryGetValue(key, out var old) && string.Equals(old, normalised, StringComparison.Ordinal)) continue;
            stored[key] = normalised;
            changed = true;
        }
        return changed ? PropertiesJson(stored) : null;
    }

    public static string StreamsJson(IReadOnlyList<string> streams)
    {
        var buffer = new ArrayBufferWriter<byte>(64);
        using (var writer = new Utf8JsonWriter(buffer, WriterOptions))
        {
            writer.WriteStartArray();
            foreach (var stream in streams) writer.WriteStringValue(stream);
            writer.WriteEndArray();
        }
        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    public static List<string> ReadStreams(string json)
    {
        var streams = new List<string>();
        var reader = new Utf8JsonReader(Encoding.UTF8.GetBytes(json));
        reader.Read(); // StartArray
        while (reader.Read() && reader.TokenType == JsonTokenType.String)
            streams.Add(reader.GetString()!);
        return streams;
    }

    /// <summary>The vector as little-endian float32 bytes (4 per dimension): compact, and bit-exact on the way back.</summary>
    public static byte[] VectorBytes(ReadOnlySpan<float> vector)
    {
        var bytes = new byte[vector.Length * sizeof(float)];
        if (BitConverter.IsLittleEndian)
            MemoryMarshal.AsBytes(vector).CopyTo(bytes);
        else
            for (var i = 0; i < vector.Length; i++)
                BinaryPrimitives.WriteSingleLittleEndian(bytes.AsSpan(i * sizeof(float)), vector[i]);
        return bytes;
    }

    public static float[] ReadVector(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length % sizeof(float) != 0)
            throw new InvalidDataException($"a stored embedding has {bytes.Length} bytes, not a whole number of float32 values");
        var vector = new float[bytes.Length / sizeof(float)];
        if (BitConverter.IsLittleEndian)
            bytes.CopyTo(MemoryMarshal.AsBytes(vector.AsSpan()));
        else
            for (var i = 0; i < vector.Length; i++)
                vector[i] = BinaryPrimitives.ReadSingleLittleEndian(bytes[(i * sizeof(float))..]);
        return vector;
    }
}
