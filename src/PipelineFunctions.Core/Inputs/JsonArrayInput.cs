using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json;

namespace PipelineFunctions.Core.Inputs;

/// <summary>
/// Streams a JSON export (an array of flat objects) and yields, per element, the values of the
/// requested fields as text. Numbers become invariant text and null or absent become null; a nested
/// object or array where text is expected is an error naming file, row (1-based element) and field.
/// Malformed JSON is reported with the line the parser stopped at.
/// The file is read token by token with <see cref="Utf8JsonReader"/> through one buffer: no element is
/// materialised as a document and unrequested fields are never decoded, so memory does not grow with the file.
/// </summary>
internal static class JsonArrayInput
{
    /// <summary>
    /// Large reads: each read of an asynchronous file is a hop through the thread pool, and with 64 KB reads those hops and
    /// their locks cost as much as the parsing.
    /// </summary>
    public const int DefaultBufferBytes = 1 << 20;

    /// <summary>A single token (one value) larger than this is refused rather than buffered: no export value is this long.</summary>
    private const int MaxBufferBytes = 64 << 20;

    /// <param name="fields">Field names to pick; the yielded array holds their values in this order.</param>
    /// <param name="bufferBytes">The initial read buffer; it grows only for a token longer than it.</param>
    /// <param name="repetitiveFields">Fields whose values repeat (show refs, questions, answers): each distinct value is decoded into
    /// one string that every record shares, so a million rows do not allocate a million copies of the same few texts.</param>
    /// <param name="reuseValues">True when the caller copies what it needs out of each record before asking for the next: the values
    /// arrays are then recycled, which spares a demographics export one array per answer row (millions).</param>
    public static async IAsyncEnumerable<JsonRecord> ReadAsync(Stream stream, string fileName, IReadOnlyList<string> fields,
        [EnumeratorCancellation] CancellationToken cancellationToken = default, int bufferBytes = DefaultBufferBytes,
        IReadOnlyCollection<string>? repetitiveFields = null, bool reuseValues = false)
    {
        var peekable = new PeekableStream(stream);
        var first = await peekable.PeekSignificantByteAsync(cancellationToken);
        if (first is null)
            throw new PipelineInputException(fileName, "the file is empty (expected a JSON array)");
        if (first != (byte)'[')
            throw new PipelineInputException(fileName, first == (byte)'{' ? "expected a JSON array of objects, found a single object"
                : "expected a JSON array of objects");

        var parser = new Parser(fileName, fields, repetitiveFields ?? []);
        var buffer = new byte[Math.Max(16, bufferBytes)];
        int start = 0, end = 0;
        var final = false;
        var atFileStart = true;
        while (!final)
        {
            if (start > 0)
            {
                buffer.AsSpan(start, end - start).CopyTo(buffer);
                end -= start;
                start = 0;
            }
            if (end == buffer.Length)
            {
                if (buffer.Length >= MaxBufferBytes)
                    throw new PipelineInputException(fileName, $"a single value is longer than {MaxBufferBytes >> 20} MB", row: parser.Row);
                Array.Resize(ref buffer, Math.Min(buffer.Length * 2, MaxBufferBytes));
            }
            var read = await peekable.ReadAsync(buffer.AsMemory(end), cancellationToken);
            end += read;
            final = read == 0;
            if (atFileStart && end >= 3 && buffer.AsSpan(0, 3).SequenceEqual("\uFEFF"u8))
                start = 3; // the serializer skips a UTF-8 byte order mark; the bare reader does not
            if (atFileStart && (end >= 3 || final)) atFileStart = false;
            if (atFileStart) continue;

            start += parser.Parse(buffer.AsSpan(start, end - start), final);
            foreach (var record in parser.Records) yield return record;
            if (reuseValues) parser.Recycle();
            parser.Records.Clear();
        }
        parser.Finish();
    }

    /// <summary>The token-level state that carries over from one buffer to the next.</summary>
    private sealed class Parser(string fileName, IReadOnlyList<string> fields, IReadOnlyCollection<string> repetitiveFields)
    {
        private readonly Dictionary<string, int>.AlternateLookup<ReadOnlySpan<char>> _index = IndexOf(fields);
        private readonly SharedText?[] _shared = [.. fields.Select(f => repetitiveFields.Contains(f) ? new SharedText() : null)];
        private JsonReaderState _state = new(new JsonReaderOptions { MaxDepth = 16 });
        private string?[]? _values;
        private readonly Stack<string?[]> _spareValues = new();
        private int _slot = -1;        // field of the property whose value comes next; -1: not requested
        private int _skipDepth = -1;   // inside an unrequested nested value until the reader is back at this depth
        private bool _arrayClosed;

        public long Row { get; private set; }

        private static Dictionary<string, int>.AlternateLookup<ReadOnlySpan<char>> IndexOf(IReadOnlyList<string> fields)
        {
            var index = new Dictionary<string, int>(StringComparer.Ordinal);
            for (var i = 0; i < fields.Count; i++) index[fields[i]] = i;
            return index.GetAlternateLookup<ReadOnlySpan<char>>();
        }

        /// <summary>The elements completed by the last <see cref="Parse"/>; the caller empties it.</summary>
        public List<JsonRecord> Records { get; } = [];

        /// <summary>The records handed out are done with: their arrays serve the next ones.</summary>
        public void Recycle()
        {
            foreach (var record in Records) _spareValues.Push(record.Values);
        }

        /// <returns>The bytes consumed; the rest (a token cut by the buffer's end) is handed in again with more data.</returns>
        public int Parse(ReadOnlySpan<byte> data, bool final)
        {
            var reader = new Utf8JsonReader(data, final, _state);
            try
            {
                while (reader.Read()) Consume(ref reader);
            }
            catch (JsonException e)
            {
                var line = e.LineNumber is { } l ? $" at line {l + 1}" : "";
                // No row: where the text stops being JSON is best told by its line.
                throw new PipelineInputException(fileName, $"malformed JSON{line}: {Shorten(e.Message)}", inner: e);
            }
            _state = reader.CurrentState;
            return (int)reader.BytesConsumed;
        }

        private void Consume(ref Utf8JsonReader reader)
        {
            var token = reader.TokenType;
            if (_skipDepth >= 0)
            {
                if (token is JsonTokenType.EndObject or JsonTokenType.EndArray && reader.CurrentDepth == _skipDepth) _skipDepth = -1;
                return;
            }
            switch (reader.CurrentDepth)
            {
                case 0:
                    if (token == JsonTokenType.EndArray) _arrayClosed = true;
                    return; // the opening '[' (checked before reading) or the closing ']'
                case 1 when token == JsonTokenType.EndObject:
                    Records.Add(new JsonRecord(Row, _values!));
                    _values = null;
                    return;
                case 1:
                    Row++;
                    if (token != JsonTokenType.StartObject)
                        throw new PipelineInputException(fileName, $"expected an object, found {Describe(token)}", row: Row);
                    if (_spareValues.TryPop(out var spare)) Array.Clear(spare);
                    _values = spare ?? new string?[fields.Count];
                    return;
            }
            // Depth 2: the element's properties and their values.
            if (token == JsonTokenType.PropertyName)
            {
                _slot = SlotOf(ref reader);
                return;
            }
            if (token is JsonTokenType.StartObject or JsonTokenType.StartArray)
            {
                if (_slot >= 0)
                    throw new PipelineInputException(fileName, $"expected a text value, found {Describe(token)}", row: Row, field: fields[_slot]);
                _skipDepth = reader.CurrentDepth;
                return;
            }
            if (_slot < 0) return;
            _values![_slot] = token switch
            {
                JsonTokenType.String => StringOf(ref reader),
                JsonTokenType.Number => Encoding.UTF8.GetString(reader.ValueSpan),
                JsonTokenType.True => "true",
                JsonTokenType.False => "false",
                _ => null,
            };
        }

        private int SlotOf(ref Utf8JsonReader reader)
        {
            Span<char> name = stackalloc char[128];
            try
            {
                var length = reader.ValueIsEscaped || reader.ValueSpan.Length > name.Length ? -1 : reader.CopyString(name);
                if (length >= 0) return _index.TryGetValue(name[..length], out var slot) ? slot : -1;
                return _index.TryGetValue(reader.GetString()!, out var named) ? named : -1;
            }
            catch (InvalidOperationException)
            {
                throw new PipelineInputException(fileName, "a property name is not valid UTF-8 text", row: Row);
            }
        }

        /// <summary>System.Text.Json checks a string's UTF-8 only when it is decoded: invalid bytes surface here, as does an absurd length.</summary>
        private string? StringOf(ref Utf8JsonReader reader)
        {
            string? text;
            try
            {
                text = _shared[_slot] is { } shared && reader.ValueSpan.Length <= SharedText.MaxLength ? shared.Decode(ref reader)
                    : reader.GetString();
            }
            catch (InvalidOperationException)
            {
                throw new PipelineInputException(fileName, "is not valid UTF-8 text", row: Row, field: fields[_slot]);
            }
            // The same limit as CSV fields: no registration answer is this long; a value that is is broken data.
            if (text?.Length > CsvInput.MaxFieldLength)
                throw new PipelineInputException(fileName, $"the value is {text.Length:N0} characters long, more than {CsvInput.MaxFieldLength:N0}",
                    row: Row, field: fields[_slot]);
            return text;
        }

        /// <summary>Called once the whole file was read: a file that ends inside the array is truncated, however the reader saw it.</summary>
        public void Finish()
        {
            if (!_arrayClosed)
                throw new PipelineInputException(fileName, "malformed JSON: the file ends before the array is closed (truncated?)");
        }
    }

    /// <summary>The strings of one repetitive field, looked up by their decoded characters before any string is made.</summary>
    private sealed class SharedText
    {
        /// <summary>Longer values (a job title is at most a few dozen characters) are decoded as they are.</summary>
        public const int MaxLength = 256;

        private readonly TextPool _pool = new();

        /// <summary>Throws <see cref="InvalidOperationException"/> on invalid UTF-8, as <see cref="Utf8JsonReader.GetString"/> does.</summary>
        public string Decode(ref Utf8JsonReader reader)
        {
            Span<char> chars = stackalloc char[MaxLength];
            return _pool.Intern(chars[..reader.CopyString(chars)]);
        }
    }

    private static string Describe(JsonTokenType token) => token switch
    {
        JsonTokenType.StartObject => "an object",
        JsonTokenType.StartArray => "an array",
        JsonTokenType.String => "a string",
        JsonTokenType.Number => "a number",
        _ => token.ToString().ToLower(CultureInfo.InvariantCulture),
    };

    private static string Shorten(string message)
    {
        foreach (var marker in new[] { " Path:", " LineNumber:" })
        {
            var cut = message.IndexOf(marker, StringComparison.Ordinal);
            if (cut > 0) message = message[..cut];
        }
        return message;
    }
}
