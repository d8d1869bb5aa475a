using PipelineFunctions.Core.Graph;
using PipelineFunctions.Core.Steps.Recommendations.Sharding;

namespace PipelineFunctions.Core.Tests.Steps.Recommendations.Sharding;

/// <summary>
/// A shard's visitors as the plan writes them and the shard reads them back: the same visitors, columns (a missing value
/// stays missing, an empty one empty) and past selves, bytes that depend only on the visitors (they key the shard cache),
/// and a cut or foreign file refused with its name.
/// </summary>
public sealed class ShardMembersFileTests
{
    private static readonly HashSet<string> Columns = ["job_role", "Country", "Company", "Email"];

    private static List<ShardVisitor> Visitors() =>
    [
        new("B1", new Dictionary<string, string> { ["job_role"] = "Vet Nurse", ["Country"] = "", ["Email"] = "a@example.com" },
            [new SameVisitorLink("B1", VisitorKind.PastMain, "P1", "Same_Visitor"),
                new SameVisitorLink("B1", VisitorKind.PastSecondary, "S9", "Same_Visitor")]),
        new("B2", new Dictionary<string, string> { ["Company"] = "Ünïcode Vets", ["job_role"] = "Student" }, []),
        new("B3", new Dictionary<string, string>(), []),
    ];

    [Fact]
    public void Visitors_read_back_as_written()
    {
        var read = ShardMembersFile.Read(new MemoryStream(ShardMembersFile.Write(Visitors(), Columns)), "shard.bin");

        Assert.Equal(Visitors().Select(v => v.BadgeId), read.Select(v => v.BadgeId));
        foreach (var (written, back) in Visitors().Zip(read))
        {
            Assert.Equal(written.Properties.OrderBy(p => p.Key, StringComparer.Ordinal), back.Properties.OrderBy(p => p.Key, StringComparer.Ordinal));
            Assert.Equal(written.PastSelves, back.PastSelves);
        }
    }

    [Theory]
    [InlineData(1)]
    [InlineData(7)]
    public void Many_visitors_read_back_as_written_however_the_stream_hands_out_its_bytes(int chunk)
    {
        // Values that repeat across visitors, a long one, and a file longer than the reader's first buffer.
        var longValue = new string('x', 300) + "é";
        var visitors = Enumerable.Range(0, 40_000).Select(i => new ShardVisitor($"B{i}",
            new Dictionary<string, string> { ["job_role"] = i % 3 == 0 ? "Vet Nurse" : "Student", ["Company"] = i % 100 == 0 ? longValue : $"C{i}" },
            i % 2 == 0 ? [new SameVisitorLink($"B{i}", VisitorKind.PastMain, $"P{i}", "Same_Visitor")] : [])).ToList();
        var bytes = ShardMembersFile.Write(visitors, Columns);
        Assert.True(bytes.Length > 1 << 20, $"{bytes.Length} bytes");

        var read = ShardMembersFile.Read(new ChunkedStream(bytes, chunk), "shard.bin");

        Assert.Equal(visitors.Select(v => v.BadgeId), read.Select(v => v.BadgeId));
        foreach (var (written, back) in visitors.Zip(read))
        {
            Assert.Equal(written.Properties.OrderBy(p => p.Key, StringComparer.Ordinal), back.Properties.OrderBy(p => p.Key, StringComparer.Ordinal));
            Assert.Equal(written.PastSelves, back.PastSelves);
        }
        // A repeated value is held once, however many visitors have it.
        Assert.Same(read[0].Properties["job_role"], read[3].Properties["job_role"]);
    }

    [Fact]
    public void The_bytes_do_not_depend_on_the_order_columns_are_named_in()
    {
        var reversed = new HashSet<string>(Columns.Reverse());

        Assert.Equal(ShardMembersFile.Write(Visitors(), Columns), ShardMembersFile.Write(Visitors(), reversed));
    }

    [Fact]
    public void Only_the_named_columns_are_written()
    {
        var read = ShardMembersFile.Read(new MemoryStream(ShardMembersFile.Write(Visitors(), new HashSet<string> { "job_role" })), "shard.bin");

        Assert.All(read, v => Assert.All(v.Properties.Keys, k => Assert.Equal("job_role", k)));
        Assert.Equal("Vet Nurse", read[0].Properties["job_role"]);
    }

    [Fact]
    public void A_cut_or_foreign_file_is_refused_with_its_name()
    {
        var bytes = ShardMembersFile.Write(Visitors(), Columns);

        var cut = Assert.Throws<PipelineInputException>(() => ShardMembersFile.Read(new MemoryStream(bytes[..(bytes.Length / 2)]), "cut.bin"));
        var longer = Assert.Throws<PipelineInputException>(() => ShardMembersFile.Read(new MemoryStream([.. bytes, 0]), "longer.bin"));
        var foreign = Assert.Throws<PipelineInputException>(() => ShardMembersFile.Read(new MemoryStream("[{\"badgeId\":\"B1\"}]"u8.ToArray()),
            "old.json"));

        Assert.Contains("cut.bin", cut.Message, StringComparison.Ordinal);
        Assert.Contains("longer.bin", longer.Message, StringComparison.Ordinal);
        Assert.Contains("old.json", foreign.Message, StringComparison.Ordinal);
    }
}
