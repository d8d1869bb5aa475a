using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using CsvHelper;
using CsvHelper.Configuration;

namespace PipelineFunctions.ShowGenerator.Writers;

/// <summary>
/// How every generated file is written, so the same input gives the same bytes anywhere: UTF-8 without BOM,
/// "\n" line endings, invariant culture; CSV quoted by CsvHelper's RFC 4180 rules; JSON indented by two spaces.
/// </summary>
internal static class OutputFormat
{
    public const string DateTimeFormat = "yyyy-MM-dd HH:mm:ss";
    public const string DateFormat = "yyyy-MM-dd";
    public const string TimeFormat = "HH:mm";

    private static readonly UTF8Encoding Utf8NoBom = new(encoderShouldEmitUTF8Identifier: false);

    /// <summary>Flush the JSON writer to its file when this much is buffered.</summary>
    public const int JsonFlushBytes = 1 << 20;

    public static CsvWriter Csv(string path)
    {
        var writer = new StreamWriter(path, append: false, Utf8NoBom, bufferSize: 1 << 16) { NewLine = "\n" };
        return new CsvWriter(writer, new CsvConfiguration(CultureInfo.InvariantCulture) { NewLine = "\n" });
    }

    public static void WriteHeader(CsvWriter csv, IEnumerable<string> names)
    {
        foreach (var name in names) csv.WriteField(name);
        csv.NextRecord();
    }

    public static void WriteRecord(CsvWriter csv, params string[] fields)
    {
        foreach (var field in fields) csv.WriteField(field);
        csv.NextRecord();
    }

    public static FileStream Create(string path) => new(path, FileMode.Create, FileAccess.Write, FileShare.None, bufferSize: 1 << 16);

    public static Utf8JsonWriter Json(Stream stream) => new(stream, new JsonWriterOptions
    {
        Indented = true,
        IndentCharacter = ' ',
        IndentSize = 2,
        NewLine = "\n",
        // Exports keep '&', '\'' and non-ASCII letters as they are; only what JSON requires is escaped.
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        SkipValidation = false,
    });

    /// <summary>Ends a JSON file with a newline, as exporters do.</summary>
    public static void EndJson(Utf8JsonWriter writer, Stream stream)
    {
        writer.Flush();
        stream.WriteByte((byte)'\n');
    }

    public static string Format(DateTime value) => value.ToString(DateTimeFormat, CultureInfo.InvariantCulture);
    public static string Format(DateOnly value) => value.ToString(DateFormat, CultureInfo.InvariantCulture);
    public static string Format(TimeOnly value) => value.ToString(TimeFormat, CultureInfo.InvariantCulture);

    /// <summary>Flushes the writer's buffer to its stream once it holds more than <see cref="JsonFlushBytes"/>, so large exports stream.</summary>
    public static void FlushWhenFull(System.Text.Json.Utf8JsonWriter json, CancellationToken cancellationToken)
    {
        if (json.BytesPending <= JsonFlushBytes) return;
        cancellationToken.ThrowIfCancellationRequested();
        json.Flush();
    }

    /// <summary>Streams items to <paramref name="path"/> as a JSON array of objects, one object per item; returns the count.</summary>
    public static long WriteJsonArray<T>(string path, IEnumerable<T> items, Action<Utf8JsonWriter, T> writeFields,
        CancellationToken cancellationToken)
    {
        using var stream = Create(path);
        using var json = Json(stream);
        long count = 0;
        json.WriteStartArray();
        foreach (var item in items)
        {
            json.WriteStartObject();
            writeFields(json, item);
            json.WriteEndObject();
            count++;
            FlushWhenFull(json, cancellationToken);
        }
        json.WriteEndArray();
        EndJson(json, stream);
        return count;
    }
}
