using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using CsvHelper;
using CsvHelper.Configuration;
using PipelineFunctions.Core.Artifacts;
using PipelineFunctions.Core.Tests.Support;

namespace PipelineFunctions.Core.Tests.Artifacts;

/// <summary>Step 1's tables are written with CsvHelper and read back with Sep: every value must come back as it was written.</summary>
public sealed class ArtifactReaderTests
{
    private static readonly string[][] Values =
    [
        ["B1", "Vet, Surgeon", "says \"hi\"", "line one\nline two", "Zoë Ærø 🐴", ""],
        ["B2", "Vet, Surgeon", "  padded  ", "x", "", "last"],
        ["B3", "Nurse", "\"", "a\r\nb", ",", "\"quoted, and\nmulti-line\""],
    ];

    private static (InMemoryArtifactStore Store, ManifestOutput Output) Publish(string name, byte[] bytes)
    {
        var store = new InMemoryArtifactStore();
        store.Add($"runs/r1/{name}", bytes);
        var output = new ManifestOutput(name, store.GetUri(ArtifactPath.Parse($"runs/r1/{name}")),
            Convert.ToHexStringLower(SHA256.HashData(bytes)), bytes.Length, null);
        return (store, output);
    }

    private static byte[] Written(string[] header, string[][] rows)
    {
        using var buffer = new MemoryStream();
        using (var text = new StreamWriter(buffer, new UTF8Encoding(false), leaveOpen: true))
        using (var csv = new CsvWriter(text, new CsvConfiguration(CultureInfo.InvariantCulture) { NewLine = "\n" }))
        {
            foreach (var row in rows.Prepend(header))
            {
                foreach (var field in row) csv.WriteField(field);
                csv.NextRecord();
            }
        }
        return buffer.ToArray();
    }

    [Fact]
    public async Task A_table_reads_back_the_values_written_trimmed_as_every_CSV_value_is()
    {
        string[] header = ["BadgeId", "JobTitle", "Quote", "Lines", "Name", " Last "];
        var (store, output) = Publish("visitors.csv", Written(header, Values));

        var table = await ArtifactReader.ReadTableAsync(store, output, CancellationToken.None);

        Assert.Equal(header.Select(h => h.Trim()), table.Header);
        Assert.Equal(Values.Select(row => row.Select(v => v.Trim()).ToArray()), table.Rows);
        Assert.Same(table.Rows[0][1], table.Rows[1][1]); // repeated values of a column share one string
    }

    [Fact]
    public async Task A_row_with_fields_missing_is_refused_with_its_line()
    {
        var (store, output) = Publish("scans.csv", "a,b\n1,2\n3\n"u8.ToArray());

        var error = await Assert.ThrowsAsync<PipelineInputException>(() => ArtifactReader.ReadTableAsync(store, output, CancellationToken.None));

        Assert.Equal(("scans.csv", 3L), (error.File, error.Row));
        Assert.Contains("has 1 fields but the header has 2", error.Message);
    }

    [Fact]
    public async Task A_table_changed_after_publication_is_reported_as_changed_even_when_it_no_longer_parses()
    {
        var (store, output) = Publish("scans.csv", "a,b\n1,2\n"u8.ToArray());
        store.Add("runs/r1/scans.csv", "a,b\n1,2\n3\n"u8.ToArray());

        var error = await Assert.ThrowsAsync<PipelineInputException>(() => ArtifactReader.ReadTableAsync(store, output, CancellationToken.None));

        Assert.Contains("changed after it was published", error.Message);
    }

    [Fact]
    public async Task A_table_read_for_some_columns_keeps_only_those_the_file_has_in_the_file_order()
    {
        string[] header = ["BadgeId", "JobTitle", "Quote", "Lines", "Name", " Last "];
        var (store, output) = Publish("visitors.csv", Written(header, Values));

        var table = await ArtifactReader.ReadTableAsync(store, output, ["Last", "BadgeId", "NotAColumn"], CancellationToken.None);

        Assert.Equal(["BadgeId", "Last"], table.Header);
        Assert.Equal(Values.Select(row => new[] { row[0], row[5].Trim() }), table.Rows);
    }

    [Fact]
    public async Task A_table_read_for_some_columns_still_refuses_a_short_row_and_a_changed_file()
    {
        var (store, output) = Publish("scans.csv", "a,b\n1,2\n3\n"u8.ToArray());
        var shortRow = await Assert.ThrowsAsync<PipelineInputException>(() => ArtifactReader.ReadTableAsync(store, output, ["a"],
            CancellationToken.None));
        Assert.Contains("has 1 fields but the header has 2", shortRow.Message);

        (store, output) = Publish("scans.csv", "a,b\n1,2\n"u8.ToArray());
        store.Add("runs/r1/scans.csv", "a,b\n1,9\n"u8.ToArray());
        var changed = await Assert.ThrowsAsync<PipelineInputException>(() => ArtifactReader.ReadTableAsync(store, output, ["a"],
            CancellationToken.None));
        Assert.Contains("changed after it was published", changed.Message);
    }
}
