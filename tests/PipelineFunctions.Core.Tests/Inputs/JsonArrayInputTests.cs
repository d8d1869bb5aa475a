using System.Text;
using System.Text.Json;
using PipelineFunctions.Core.Inputs;

namespace PipelineFunctions.Core.Tests.Inputs;

/// <summary>The streaming JSON reader sees the file one buffer at a time: any token may be cut by a buffer's end.</summary>
public sealed class JsonArrayInputTests
{
    private static readonly string[] Fields = ["BadgeId", "Name", "Score", "Member", "Note"];

    // Escapes, multi-byte UTF-8, numbers, booleans, null, absent fields, unrequested nested values and a byte order mark.
    private static readonly byte[] Export =
    [
        0xEF, 0xBB, 0xBF,
        .. """
        [
          {"BadgeId": "A1", "Name": "Zoë \"Zed\" Ærø", "Score": 12.50, "Member": true, "Extra": {"deep": [1, {"x": "}"}]}, "Note": null},
          {"Name": "Ünïcødé 🐴 \u00e9\n", "BadgeId": "A2", "Score": -3e2, "Member": false, "Tags": ["a", "b"]},
          {"BadgeId": "A3"},
          {"BadgeId": "A4", "Note": "   spaced   ", "Na\u006De": "escaped key", "Score": 0}
        ]

        """u8.ToArray(),
    ];

    private static async Task<List<(long Row, string?[] Values)>> ReadAsync(byte[] content, int bufferBytes, bool reuseValues = false)
    {
        var records = new List<(long, string?[])>();
        await foreach (var record in JsonArrayInput.ReadAsync(new MemoryStream(content), "export.json", Fields, bufferBytes: bufferBytes,
            reuseValues: reuseValues))
            records.Add((record.Row, reuseValues ? [.. record.Values] : record.Values)); // a recycled array is copied before the next record
        return records;
    }

    /// <summary>What System.Text.Json's document model reads from the same bytes, field by field.</summary>
    private static List<(long Row, string?[] Values)> Reference(byte[] content)
    {
        using var document = JsonDocument.Parse(content.AsMemory(3));
        return document.RootElement.EnumerateArray().Select((element, i) => ((long)i + 1, Fields.Select(f =>
            element.TryGetProperty(f, out var value) ? value.ValueKind switch
            {
                JsonValueKind.String => value.GetString(),
                JsonValueKind.Number => value.GetRawText(),
                JsonValueKind.True => "true",
                JsonValueKind.False => "false",
                _ => null,
            } : null).ToArray())).ToList();
    }

    [Fact]
    public async Task Records_are_the_same_whatever_the_buffer_size()
    {
        var expected = Reference(Export);
        Assert.Equal(4, expected.Count);
        for (var bufferBytes = 16; bufferBytes <= Export.Length + 16; bufferBytes++)
        {
            var actual = await ReadAsync(Export, bufferBytes);
            Assert.Equal(expected.Select(r => r.Row), actual.Select(r => r.Row));
            for (var i = 0; i < expected.Count; i++) Assert.Equal(expected[i].Values, actual[i].Values);
        }
    }

    [Fact]
    public async Task Recycled_arrays_hold_only_their_own_record()
    {
        // Small buffers put several records in one batch and one record across batches: a recycled array must not keep an earlier
        // record's value of a field the next record lacks (A3 has only a badge id, after A2's name and score).
        var expected = Reference(Export);
        for (var bufferBytes = 16; bufferBytes <= Export.Length + 16; bufferBytes += 7)
        {
            var actual = await ReadAsync(Export, bufferBytes, reuseValues: true);
            Assert.Equal(expected.Select(r => r.Row), actual.Select(r => r.Row));
            for (var i = 0; i < expected.Count; i++) Assert.Equal(expected[i].Values, actual[i].Values);
        }
    }

    [Fact]
    public async Task A_file_cut_anywhere_inside_the_array_is_malformed_JSON_never_fewer_rows()
    {
        var closing = Array.LastIndexOf(Export, (byte)']');
        for (var length = 4; length <= closing; length++)
        {
            var cut = Export[..length];
            var error = await Assert.ThrowsAsync<PipelineInputException>(() => ReadAsync(cut, 32));
            Assert.Equal("export.json", error.File);
            Assert.Contains("malformed JSON", error.Message);
        }
    }

    [Fact]
    public async Task A_value_split_across_buffers_that_is_not_valid_UTF8_names_row_and_field()
    {
        var content = Encoding.UTF8.GetBytes("[{\"BadgeId\": \"B1\"}, {\"BadgeId\": \"B2\", \"Name\": \"abcdefghijklmnop");
        content = [.. content, 0xC3, 0x28, .. "\"}]"u8];

        var error = await Assert.ThrowsAsync<PipelineInputException>(() => ReadAsync(content, 16));

        Assert.Equal((2L, "Name"), (error.Row, error.Field));
        Assert.Contains("not valid UTF-8", error.Message);
    }

    [Fact]
    public async Task Repetitive_fields_read_the_same_values_and_share_one_string_per_value()
    {
        var rows = Enumerable.Range(0, 40).Select(i =>
            $"{{\"BadgeId\": \"B{i / 4}\", \"Name\": \"Zoë \\\"{i % 3}\\\" Ærø\", \"Note\": \"n{i % 2}\", \"Score\": {i}}}");
        var content = Encoding.UTF8.GetBytes("[" + string.Join(",\n", rows) + "]");
        var expected = Reference([0xEF, 0xBB, 0xBF, .. content]);
        foreach (var bufferBytes in new[] { 16, 37, 1 << 20 })
        {
            var actual = new List<string?[]>();
            await foreach (var record in JsonArrayInput.ReadAsync(new MemoryStream(content), "export.json", Fields, bufferBytes: bufferBytes,
                               repetitiveFields: ["BadgeId", "Name", "Note", "Score"]))
                actual.Add(record.Values);

            Assert.Equal(expected.Select(r => r.Values), actual);
            Assert.Equal(3, actual.Select(v => v[1]).Distinct(ReferenceEqualityComparer.Instance).Count());
            Assert.Equal(10, actual.Select(v => v[0]).Distinct(ReferenceEqualityComparer.Instance).Count());
        }
    }

    [Fact]
    public async Task A_repetitive_field_that_is_not_valid_UTF8_names_row_and_field()
    {
        byte[] content = [.. "[{\"BadgeId\": \"B1\", \"Name\": \"ok\"}, {\"BadgeId\": \"B2\", \"Name\": \"a"u8, 0xC3, 0x28, .. "\"}]"u8];

        var error = await Assert.ThrowsAsync<PipelineInputException>(async () =>
        {
            await foreach (var _ in JsonArrayInput.ReadAsync(new MemoryStream(content), "export.json", Fields, repetitiveFields: ["Name"])) { }
        });

        Assert.Equal((2L, "Name"), (error.Row, error.Field));
        Assert.Contains("not valid UTF-8", error.Message);
    }
}
