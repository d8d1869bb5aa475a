using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using PipelineFunctions.Local.Commands;
using PipelineFunctions.Local.Tests.Support;
using Xunit.Abstractions;

namespace PipelineFunctions.Local.Tests.Hardening;

/// <summary>
/// Bad input at scale: every input file of the vet_lva sample is corrupted in many ways (truncated, empty, wrong
/// types, missing, extra and duplicated columns, invalid UTF-8, huge fields, wrong delimiters, other date formats,
/// empty arrays, nested nulls...) and `pa prepare` runs on each. Every case must end with exit code 2 and one
/// message naming the file, or with success and a warning about that file in metadata.json; never an unhandled
/// error, and a failed run publishes nothing.
/// </summary>
public sealed class CorruptionSuiteTests(ITestOutputHelper log) : IDisposable
{
    private readonly TempFolder _temp = new();

    public void Dispose() => _temp.Dispose();

    /// <summary>Changes the pipeline accepts by design, without a warning; each is documented in docs/bad-input.md.</summary>
    private static readonly Dictionary<string, (string Documented, Func<string, bool> AppliesTo)> TolerableByDesign = new()
    {
        ["extra column"] = ("Columns the pipeline does not use are ignored", _ => true),
        ["every value a number"] = ("JSON numbers are read as text", file => file.StartsWith("demographics", StringComparison.Ordinal)),
        ["second column missing"] = ("A stream missing from a YES matrix maps nothing to it",
            file => file is "job_to_stream.csv" or "spezialization_to_stream.csv"),
        // A scan reference's last value is a free-text seminar name, long enough that a cut often lands inside it.
        ["truncated mid-record"] = ("A CSV file that ends inside its last value cannot be told from a shorter file",
            file => file == "practices_missing.csv" || file.EndsWith("seminar scans reference.csv", StringComparison.Ordinal)),
    };

    [Fact]
    public void The_changes_tolerated_by_design_are_documented()
    {
        var doc = File.ReadAllText(Path.Combine(Repository.Root, "docs", "bad-input.md"));
        Assert.All(TolerableByDesign.Values, t => Assert.Contains(t.Documented, doc));
    }

    private sealed record Corruption(string File, string Kind, Func<byte[], byte[]> Apply);

    private static readonly Encoding Utf8 = new UTF8Encoding(false);

    private static IEnumerable<Corruption> Corruptions(string sample)
    {
        foreach (var path in Directory.GetFiles(sample).Order(StringComparer.Ordinal))
        {
            var file = Path.GetFileName(path);
            var kinds = file.EndsWith(".json", StringComparison.Ordinal) ? JsonCorruptions() : CsvCorruptions();
            var original = File.ReadAllBytes(path);
            foreach (var (kind, apply) in kinds.Concat(CommonCorruptions()))
                // A corruption that leaves this file as it was (no dates to reformat, say) is no case.
                if (!apply(original).AsSpan().SequenceEqual(original)) yield return new Corruption(file, kind, apply);
        }
    }

    private static IEnumerable<(string, Func<byte[], byte[]>)> CommonCorruptions() =>
    [
        ("truncated mid-record", bytes => bytes[..(int)(bytes.Length * 0.6)]),
        ("empty file", _ => []),
        ("invalid UTF-8 in a value", bytes => InsertAt(bytes, IndexAfterFirstLine(bytes) + 12, [0xC3, 0x28, 0xFF])),
        ("binary garbage", _ => Enumerable.Range(0, 4096).Select(i => (byte)(i * 7919 % 256)).ToArray()),
        ("huge field", bytes => Text(bytes, t => ReplaceFirstValue(t, new string('x', 2_000_000)))),
        ("UTF-16 encoded", bytes => Encoding.Unicode.GetPreamble().Concat(Encoding.Unicode.GetBytes(Utf8.GetString(bytes))).ToArray()),
    ];

    private static IEnumerable<(string, Func<byte[], byte[]>)> CsvCorruptions() =>
    [
        ("header only", bytes => Text(bytes, t => t[..(t.IndexOf('\n') + 1)])),
        ("first column missing", bytes => Text(bytes, t => MapLines(t, line => line.Contains(',') ? line[(line.IndexOf(',') + 1)..] : line))),
        ("second column missing", bytes => Text(bytes, t => MapLines(t, line => DropField(line, 1)))),
        ("extra column", bytes => Text(bytes, t => MapLines(t, (line, i) => line + (i == 0 ? ",extra_column" : ",surplus")))),
        ("duplicated header", bytes => Text(bytes, t =>
        {
            var header = t[..t.IndexOf('\n')];
            return header + "," + header.Split(',')[0] + t[t.IndexOf('\n')..];
        })),
        ("semicolon delimiter", bytes => Text(bytes, t => t.Replace(',', ';'))),
        ("tab delimiter", bytes => Text(bytes, t => t.Replace(',', '\t'))),
        ("dates as dd/MM/yyyy", bytes => Text(bytes, t => Regex.Replace(t, @"(\d{4})-(\d{2})-(\d{2})", "$3/$2/$1"))),
        ("row with too few fields", bytes => Text(bytes, t => MapLines(t, (line, i) => i == 2 ? line.Split(',')[0] : line))),
        ("unclosed quote", bytes => Text(bytes, t => MapLines(t, (line, i) => i == 1 ? "\"" + line : line))),
        ("numbers as words", bytes => Text(bytes, t => Regex.Replace(t, @"(?<=,)\d+(?=\r?\n|$)", "many", RegexOptions.Multiline))),
    ];

    private static IEnumerable<(string, Func<byte[], byte[]>)> JsonCorruptions() =>
    [
        ("empty array", _ => Utf8.GetBytes("[]")),
        ("object instead of array", bytes => Json(bytes, a => new JsonObject { ["rows"] = a.DeepClone() })),
        ("nested nulls", bytes => Json(bytes, a =>
        {
            foreach (var o in a.OfType<JsonObject>()) foreach (var key in o.Select(p => p.Key).Take(3).ToList()) o[key] = null;
            return a;
        })),
        ("every value a number", bytes => Json(bytes, a =>
        {
            foreach (var o in a.OfType<JsonObject>()) foreach (var key in o.Select(p => p.Key).ToList()) o[key] = 42;
            return a;
        })),
        ("elements are strings", bytes => Json(bytes, a => new JsonArray(a.Select((_, i) => (JsonNode?)JsonValue.Create($"row {i}")).ToArray()))),
        ("trailing garbage", bytes => bytes.Concat(Utf8.GetBytes("\n}} trailing")).ToArray()),
        ("first key removed everywhere", bytes => Json(bytes, a =>
        {
            foreach (var o in a.OfType<JsonObject>()) if (o.Count > 0) o.Remove(o.First().Key);
            return a;
        })),
        ("deeply nested", _ => Utf8.GetBytes(new string('[', 5000) + new string(']', 5000))),
    ];

    [Fact]
    public async Task Every_corruption_of_every_input_ends_in_a_clear_error_or_a_recorded_warning_and_never_in_a_crash()
    {
        var sample = Repository.Sample("vet_lva");
        var cases = Corruptions(sample).ToList();
        Assert.True(cases.Count >= 100, $"only {cases.Count} corruptions");

        var outcomes = new List<(Corruption Case, string Outcome, string Detail)>();
        var gate = new object();
        await Parallel.ForEachAsync(cases.Select((c, i) => (c, i)), new ParallelOptions { MaxDegreeOfParallelism = 2 }, async (item, _) =>
        {
            var (outcome, detail) = await RunAsync(sample, item.c, item.i);
            lock (gate) outcomes.Add((item.c, outcome, detail));
        });

        foreach (var group in outcomes.GroupBy(o => o.Outcome).OrderBy(g => g.Key))
            log.WriteLine($"{group.Key}: {group.Count()}");
        foreach (var o in outcomes.Where(o => o.Outcome is not ("rejected" or "tolerated")).OrderBy(o => o.Case.File))
            log.WriteLine($"{o.Case.File} / {o.Case.Kind}: {o.Outcome}: {o.Detail}");
        var bad = outcomes.Where(o => o.Outcome is not ("rejected" or "tolerated"))
            .Select(o => $"{o.Case.File} / {o.Case.Kind}: {o.Outcome}: {o.Detail}").ToList();
        Assert.True(bad.Count == 0, $"{bad.Count} of {outcomes.Count} cases went wrong:\n" + string.Join("\n", bad));
    }

    /// <summary>rejected: exit 2, one line naming the file, nothing published. tolerated: exit 0 with a warning about the file.</summary>
    private async Task<(string Outcome, string Detail)> RunAsync(string sample, Corruption corruption, int index)
    {
        var inputs = _temp.Combine($"case{index}", "inputs");
        var store = _temp.Combine($"case{index}", "store");
        Directory.CreateDirectory(inputs);
        foreach (var file in Directory.GetFiles(sample))
        {
            var bytes = await File.ReadAllBytesAsync(file);
            await File.WriteAllBytesAsync(Path.Combine(inputs, Path.GetFileName(file)),
                Path.GetFileName(file) == corruption.File ? corruption.Apply(bytes) : bytes);
        }
        var output = new StringWriter();
        var error = new StringWriter();
        var exit = await PaCommandLine.RunAsync(["prepare", "--event", "vet_lva", "--input", inputs, "--store", store, "--json"], output, error);
        var published = Directory.Exists(store) ? Directory.GetFiles(store, "*", SearchOption.AllDirectories).Length : 0;
        var message = error.ToString().Trim();
        try
        {
            switch (exit)
            {
                case 2:
                    if (published > 0) return ("published on failure", $"{published} files");
                    if (message.Split('\n').Length != 1 || !message.StartsWith("error: ", StringComparison.Ordinal))
                        return ("unclear message", message);
                    if (!message.Contains(corruption.File, StringComparison.Ordinal)) return ("message does not name the file", message);
                    return ("rejected", message);
                case 0:
                    using (var summary = JsonDocument.Parse(output.ToString()))
                    {
                        var warnings = summary.RootElement.GetProperty("metadata").GetProperty("warnings").EnumerateArray()
                            .Where(w => w.GetProperty("file").GetString() == corruption.File).Select(w => w.GetProperty("code").GetString()).ToList();
                        if (warnings.Count > 0) return ("tolerated", string.Join(",", warnings));
                        return TolerableByDesign.TryGetValue(corruption.Kind, out var tolerable) && tolerable.AppliesTo(corruption.File)
                            ? ("tolerated", "by design") : ("accepted silently", "no warning names the file");
                    }
                default:
                    return ($"exit {exit}", message);
            }
        }
        finally
        {
            Directory.Delete(_temp.Combine($"case{index}"), recursive: true);
        }
    }

    private static byte[] Text(byte[] bytes, Func<string, string> change) => Utf8.GetBytes(change(Utf8.GetString(bytes)));

    private static byte[] Json(byte[] bytes, Func<JsonArray, JsonNode> change) =>
        Utf8.GetBytes(change(JsonNode.Parse(bytes)!.AsArray()).ToJsonString());

    private static string MapLines(string text, Func<string, string> map) => MapLines(text, (line, _) => map(line));

    private static string MapLines(string text, Func<string, int, string> map)
    {
        var lines = text.Split('\n');
        return string.Join('\n', lines.Select((line, i) => line.Length == 0 ? line : map(line.TrimEnd('\r'), i)));
    }

    private static string DropField(string line, int index)
    {
        var fields = line.Split(',').ToList();
        if (fields.Count > index) fields.RemoveAt(index);
        return string.Join(',', fields);
    }

    private static string ReplaceFirstValue(string text, string value)
    {
        // JSON: the first string value; CSV: the first field of the first data row.
        var json = Regex.Match(text, "\":\\s*\"([^\"]*)\"");
        if (text.TrimStart().StartsWith('[') && json.Success)
            return text[..json.Groups[1].Index] + value + text[(json.Groups[1].Index + json.Groups[1].Length)..];
        var start = text.IndexOf('\n') + 1;
        var end = text.IndexOfAny([',', '\n'], start);
        return start <= 0 || end < 0 ? text + value : text[..start] + value + text[end..];
    }

    private static int IndexAfterFirstLine(byte[] bytes) => Math.Min(bytes.Length, Array.IndexOf(bytes, (byte)'\n') + 1);

    private static byte[] InsertAt(byte[] bytes, int index, byte[] insert)
    {
        index = Math.Clamp(index, 0, bytes.Length);
        return [.. bytes[..index], .. insert, .. bytes[index..]];
    }
}
