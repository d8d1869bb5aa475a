using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text.Json;

namespace PipelineFunctions.Core.Inputs;

/// <summary>
/// Streams a JSON export (an array of flat objects) and yields, per element, the values of the
/// requested fields as text. Numbers become invariant text and null or absent become null; a nested
/// object or array where text is expected is an error naming file, row (1-based element) and field.
/// Malformed JSON is reported with the line the parser stopped at.
/// </summary>
internal static class JsonArrayInput
{
    private static readonly JsonSerializerOptions ReadOptions = new() { AllowTrailingCommas = false, MaxDepth = 16 };

    /// <param name="fields">Field names to pick; the yielded array holds their values in this order.</param>
    public static async IAsyncEnumerable<JsonRecord> ReadAsync(Stream stream, string fileName, IReadOnlyList<string> fields,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var peekable = new PeekableStream(stream);
        var first = await peekable.PeekSignificantByteAsync(cancellationToken);
        if (first is null)
            throw new PipelineInputException(fileName, "the file is empty (expected a JSON array)");
        // DeserializeAsyncEnumerable wants a top-level array; say so plainly when the file holds something else.
        if (first != (byte)'[')
            throw new PipelineInputException(fileName, first == (byte)'{' ? "expected a JSON array of objects, found a single object"
                : "expected a JSON array of objects");

        var index = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < fields.Count; i++) index[fields[i]] = i;

        await using var enumerator = JsonSerializer.DeserializeAsyncEnumerable<JsonElement>(peekable, ReadOptions,
            cancellationToken).GetAsyncEnumerator(cancellationToken);
        long row = 0;
        while (true)
        {
            JsonElement element;
            try
            {
                if (!await enumerator.MoveNextAsync()) break;
                element = enumerator.Current;
            }
            catch (JsonException e)
            {
                var line = e.LineNumber is { } l ? $" at line {l + 1}" : "";
                // No row: the parser reads ahead, so the element count is not where the fault is; the line is.
                throw new PipelineInputException(fileName, $"malformed JSON{line}: {Shorten(e.Message)}", inner: e);
            }
            row++;
            if (element.ValueKind != JsonValueKind.Object)
                throw new PipelineInputException(fileName, $"expected an object, found {Describe(element.ValueKind)}", row: row);

            var values = new string?[fields.Count];
            foreach (var property in element.EnumerateObject())
            {
                if (!index.TryGetValue(NameOf(property, fileName, row), out var slot)) continue;
                values[slot] = property.Value.ValueKind switch
                {
                    JsonValueKind.String => StringOf(property.Value, fileName, row, property.Name),
                    JsonValueKind.Number => property.Value.GetRawText(),
                    JsonValueKind.True => "true",
                    JsonValueKind.False => "false",
                    JsonValueKind.Null => null,
                    _ => throw new PipelineInputException(fileName, $"expected a text value, found {Describe(property.Value.ValueKind)}", row: row,
                        field: property.Name),
                };
            }
            yield return new JsonRecord(row, values);
        }
    }

    private static string NameOf(JsonProperty property, string fileName, long row)
    {
        try
        {
            return property.Name;
        }
        catch (InvalidOperationException)
        {
            throw new PipelineInputException(fileName, "a property name is not valid UTF-8 text", row: row);
        }
    }

    /// <summary>System.Text.Json checks a string's UTF-8 only when it is decoded: invalid bytes surface here, as does an absurd length.</summary>
    private static string? StringOf(JsonElement value, string fileName, long row, string field)
    {
        string? text;
        try
        {
            text = value.GetString();
        }
        catch (InvalidOperationException)
        {
            throw new PipelineInputException(fileName, "is not valid UTF-8 text", row: row, field: field);
        }
        // The same limit as CSV fields: no registration answer is this long; a value that is is broken data.
        if (text?.Length > CsvInput.MaxFieldLength)
            throw new PipelineInputException(fileName, $"the value is {text.Length:N0} characters long, more than {CsvInput.MaxFieldLength:N0}",
                row: row, field: field);
        return text;
    }

    private static string Describe(JsonValueKind kind) => kind switch
    {
        JsonValueKind.Object => "an object",
        JsonValueKind.Array => "an array",
        JsonValueKind.String => "a string",
        JsonValueKind.Number => "a number",
        _ => kind.ToString().ToLower(CultureInfo.InvariantCulture),
    };

    private static string Shorten(string message)
    {
        var cut = message.IndexOf(" Path:", StringComparison.Ordinal);
        return cut > 0 ? message[..cut] : message;
    }
}
