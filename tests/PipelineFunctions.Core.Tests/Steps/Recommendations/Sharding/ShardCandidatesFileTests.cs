using PipelineFunctions.Core.Steps.Recommendations;
using PipelineFunctions.Core.Steps.Recommendations.Sharding;

namespace PipelineFunctions.Core.Tests.Steps.Recommendations.Sharding;

/// <summary>
/// A scored shard as a shard writes it and the fan-in reads it back: the same visitors, candidates, reasons and texts, however
/// the stream hands out its bytes (the reader refills one buffer), and a cut, longer or foreign file refused with its name.
/// </summary>
public sealed class ShardCandidatesFileTests
{
    private const int Sessions = 400;
    private const int ExportColumns = 3;

    private static List<ScoredVisitor> Visitors() =>
    [
        new("B1", ["1", "Vet Nurse", "Ünïcode Vets ✓"], GenerationStrategies.ReturningPastSessions, ["a rule left nothing"], true,
            [3, 1, 399], [0.9, 0.5, -0.25], [(byte)RecommendationReasonCode.AttendedBefore, 0, (byte)RecommendationReasonCode.PopularBefore],
            [7, -1, 200_000_000]),
        new("B2", ["0", "Vet Nurse", ""], GenerationStrategies.ReturningPastSessions, [], false, [], [], [], []),
        // A text longer than the reader's buffer: it grows rather than cut the text.
        new("B3", ["0", new string('x', 3 << 20), "Hill Vets"], "another strategy", ["a rule left nothing"], false,
            [.. Enumerable.Range(0, Sessions)], [.. Enumerable.Range(0, Sessions).Select(i => 1.0 / (i + 1))], new byte[Sessions],
            [.. Enumerable.Range(0, Sessions).Select(i => i * 1000)]),
    ];

    private static List<ScoredVisitor> ReadBack(Stream stream, out string key)
    {
        var read = new List<ScoredVisitor>();
        key = ShardCandidatesFile.Read(stream, "candidates.bin", Sessions, ExportColumns, read.Add);
        return read;
    }

    [Theory]
    [InlineData(int.MaxValue)]
    [InlineData(7)]
    public void Visitors_read_back_as_written_however_the_stream_hands_out_its_bytes(int chunk)
    {
        var bytes = ShardCandidatesFile.Write("the key", Visitors());

        var read = ReadBack(new ChunkedStream(bytes, chunk), out var key);

        Assert.Equal("the key", key);
        Assert.Equal(Visitors().Count, read.Count);
        foreach (var (written, back) in Visitors().Zip(read))
        {
            Assert.Equal(written.BadgeId, back.BadgeId);
            Assert.Equal(written.ExportValues, back.ExportValues);
            Assert.Equal(written.Strategy, back.Strategy);
            Assert.Equal(written.Notes, back.Notes);
            Assert.Equal(written.Truncated, back.Truncated);
            Assert.Equal(written.Sessions, back.Sessions);
            Assert.Equal(written.Scores, back.Scores);
            Assert.Equal(written.ReasonCodes, back.ReasonCodes);
            Assert.Equal(written.ReasonArguments, back.ReasonArguments);
        }
        // Texts that repeat across visitors are one string, not one each.
        Assert.Same(read[0].ExportValues[1], read[1].ExportValues[1]);
        Assert.Same(read[0].Notes[0], read[2].Notes[0]);
    }

    [Fact]
    public void A_cut_longer_or_foreign_file_is_refused_with_its_name()
    {
        var bytes = ShardCandidatesFile.Write("the key", Visitors());

        var cut = Assert.Throws<PipelineInputException>(() =>
            ShardCandidatesFile.Read(new MemoryStream(bytes[..(bytes.Length / 2)]), "cut.bin", Sessions, ExportColumns, _ => { }));
        var longer = Assert.Throws<PipelineInputException>(() =>
            ShardCandidatesFile.Read(new MemoryStream([.. bytes, 0]), "longer.bin", Sessions, ExportColumns, _ => { }));
        var foreign = Assert.Throws<PipelineInputException>(() =>
            ShardCandidatesFile.Read(new MemoryStream("[{\"badgeId\":\"B1\"}]"u8.ToArray()), "old.json", Sessions, ExportColumns, _ => { }));
        var fewerSessions = Assert.Throws<PipelineInputException>(() =>
            ShardCandidatesFile.Read(new MemoryStream(bytes), "other-context.bin", 10, ExportColumns, _ => { }));

        Assert.Contains("cut.bin", cut.Message, StringComparison.Ordinal);
        Assert.Contains("cut short", cut.Message, StringComparison.Ordinal);
        Assert.Contains("longer.bin", longer.Message, StringComparison.Ordinal);
        Assert.Contains("old.json", foreign.Message, StringComparison.Ordinal);
        Assert.Contains("other-context.bin", fewerSessions.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_file_whose_visitors_have_another_number_of_export_values_than_the_export_has_columns_is_refused_with_its_name()
    {
        var bytes = ShardCandidatesFile.Write("the key", Visitors());

        var other = Assert.Throws<PipelineInputException>(() =>
            ShardCandidatesFile.Read(new MemoryStream(bytes), "other-export.bin", Sessions, ExportColumns + 1, _ => { }));

        Assert.Contains("other-export.bin", other.Message, StringComparison.Ordinal);
        Assert.Contains("visitor B1 has 3 export values for 4 columns", other.Message, StringComparison.Ordinal);
    }
}
