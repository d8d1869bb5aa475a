using System.Buffers;
using System.Buffers.Binary;
using System.Text;

namespace PipelineFunctions.Core.Steps.Recommendations.Sharding;

/// <summary>
/// A scored shard as a compact binary artifact (the fan-in reads every visitor's candidates, millions of them at a large
/// show, so JSON's parsing and size would dominate it): a header naming the format and the shard's reuse key, the
/// visitors (each candidate with its reason code and argument), and an end marker, so a cut or foreign file is refused
/// with its name rather than read as fewer visitors.
/// </summary>
internal static class ShardCandidatesFile
{
    private const string Magic = "pa-recommendation-shard/2";
    private const int EndMarker = 0x0E4D5EED;
    // A session index, a score, a reason code and a 7-bit encoded argument of up to five bytes.
    private const int MaxCandidateBytes = 4 + 8 + 1 + 5;
    private static readonly byte MaxReasonCode = (byte)Enum.GetValues<RecommendationReasonCode>().Max();

    public static byte[] Write(string key, IReadOnlyList<ScoredVisitor> visitors)
    {
        using var buffer = new MemoryStream();
        Write(buffer, key, visitors);
        return buffer.ToArray();
    }

    /// <summary>
    /// Writes the shard onto <paramref name="stream"/>: a store's file as it is stored, with no copy of the shard (tens of
    /// megabytes at a large show) in memory.
    /// </summary>
    public static void Write(Stream stream, string key, IReadOnlyList<ScoredVisitor> visitors)
    {
        // Buffered: a store's stream hashes every write, and a visitor's strings are many small ones. Flushed, not disposed:
        // the stream is the caller's.
        var buffer = new BufferedStream(stream, 1 << 16);
        using (var writer = new BinaryWriter(buffer, Encoding.UTF8, leaveOpen: true))
        {
            writer.Write(Magic);
            writer.Write(key);
            writer.Write(visitors.Count);
            foreach (var visitor in visitors)
            {
                writer.Write(visitor.BadgeId);
                writer.Write(visitor.Strategy);
                writer.Write(visitor.Truncated);
                WriteStrings(writer, visitor.ExportValues);
                WriteStrings(writer, visitor.Notes);
                writer.Write(visitor.Sessions.Length);
                // A visitor's candidates laid out in one buffer and written at once: a call per value was most of the writing.
                var candidates = ArrayPool<byte>.Shared.Rent(visitor.Sessions.Length * MaxCandidateBytes);
                var at = 0;
                for (var i = 0; i < visitor.Sessions.Length; i++)
                {
                    BinaryPrimitives.WriteInt32LittleEndian(candidates.AsSpan(at), visitor.Sessions[i]);
                    BinaryPrimitives.WriteDoubleLittleEndian(candidates.AsSpan(at + 4), visitor.Scores[i]);
                    candidates[at + 12] = visitor.ReasonCodes[i];
                    at += 13;
                    // Arguments are small indexes, most often -1 or below 128: one byte each, shifted so -1 is 0 (7-bit encoded).
                    for (var argument = (uint)(visitor.ReasonArguments[i] + 1); ; argument >>= 7)
                    {
                        if (argument < 0x80)
                        {
                            candidates[at++] = (byte)argument;
                            break;
                        }
                        candidates[at++] = (byte)(argument | 0x80);
                    }
                }
                writer.Write(candidates, 0, at);
                ArrayPool<byte>.Shared.Return(candidates);
            }
            writer.Write(EndMarker);
        }
        buffer.Flush();
    }

    /// <summary>The key the file was written under and its number of visitors, or null when it is not a shard file.</summary>
    public static (string Key, int Visitors)? Header(Stream stream)
    {
        try
        {
            using var reader = new BinaryReader(stream, Encoding.UTF8, leaveOpen: true);
            return reader.ReadString() == Magic ? (reader.ReadString(), reader.ReadInt32()) : null;
        }
        catch (Exception e) when (e is EndOfStreamException or IOException or FormatException)
        {
            return null;
        }
    }

    /// <summary>
    /// Reads a shard, handing each visitor to <paramref name="visit"/>, and returns the key it was written under; a damaged
    /// file gives PipelineInputException. Decoded from spans of one reused buffer (a BinaryReader call per value was most of
    /// the fan-in's reading), with the strategy, export values and notes that repeat across visitors shared, not one string each.
    /// </summary>
    /// <param name="exportColumnCount">The export's visitor columns: each visitor has one value per column.</param>
    public static string Read(Stream stream, string name, int sessionCount, int exportColumnCount, Action<ScoredVisitor> visit)
    {
        using var reader = new ShardFileReader(stream);
        try
        {
            if (reader.String(shared: false) != Magic) throw new PipelineInputException(name, "is not a scored recommendation shard");
            var key = reader.String(shared: false);
            var count = reader.Int32();
            for (var v = 0; v < count; v++)
            {
                var badgeId = reader.String(shared: false);
                var strategy = reader.String(shared: true);
                var truncated = reader.Byte() != 0;
                var exportValues = ReadStrings(reader);
                if (exportValues.Length != exportColumnCount)
                    throw new PipelineInputException(name,
                        $"is corrupt (visitor {badgeId} has {exportValues.Length} export values for {exportColumnCount} columns)");
                var notes = ReadStrings(reader);
                var candidates = reader.Int32();
                if (candidates < 0 || candidates > sessionCount) throw new PipelineInputException(name, $"is corrupt (visitor {badgeId})");
                var sessions = new int[candidates];
                var scores = new double[candidates];
                var codes = new byte[candidates];
                var arguments = new int[candidates];
                for (var i = 0; i < candidates; i++)
                {
                    // The fixed part of a candidate at once; its argument's 7-bit encoding after it.
                    var fixedPart = reader.Take(13);
                    sessions[i] = BinaryPrimitives.ReadInt32LittleEndian(fixedPart);
                    scores[i] = BinaryPrimitives.ReadDoubleLittleEndian(fixedPart[4..]);
                    codes[i] = fixedPart[12];
                    arguments[i] = reader.SevenBitInt() - 1;
                    if ((uint)sessions[i] >= (uint)sessionCount || codes[i] > MaxReasonCode || arguments[i] < -1)
                        throw new PipelineInputException(name, $"is corrupt (visitor {badgeId})");
                }
                visit(new ScoredVisitor(badgeId, exportValues, strategy, notes, truncated, sessions, scores, codes, arguments));
            }
            if (reader.Int32() != EndMarker || !reader.AtEnd()) throw new PipelineInputException(name, "is corrupt (no end marker)");
            return key;
        }
        catch (Exception e) when (e is EndOfStreamException or IOException or FormatException or DecoderFallbackException)
        {
            throw new PipelineInputException(name, $"is cut short or corrupt: {e.Message}");
        }
    }

    private static void WriteStrings(BinaryWriter writer, IReadOnlyList<string> values)
    {
        writer.Write(values.Count);
        foreach (var value in values) writer.Write(value);
    }

    private static string[] ReadStrings(ShardFileReader reader)
    {
        var count = reader.Int32();
        if (count is < 0 or > 1_000_000) throw new FormatException($"a list of {count} strings");
        if (count == 0) return [];
        var values = new string[count];
        for (var i = 0; i < count; i++) values[i] = reader.String(shared: true);
        return values;
    }
}
