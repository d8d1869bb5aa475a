using System.Text;
using PipelineFunctions.Core.Graph;

namespace PipelineFunctions.Core.Steps.Recommendations.Sharding;

/// <summary>
/// A shard's visitors (<see cref="ShardVisitor"/>) as a compact binary artifact: the plan writes one per shard and the shard
/// reads it. As JSON, every visitor's columns were named again and parsed into a dictionary by name, which was most of a
/// shard's reading; here the column names are written once, in ordinal order, and each visitor's values follow in that order
/// (a flag per column for a missing value). The bytes depend only on the visitors, so the file's hash keys the shard cache.
/// </summary>
internal static class ShardMembersFile
{
    private const string Magic = "pa-recommendation-shard-members/1";
    private const int EndMarker = 0x5EED0E4D;

    public static byte[] Write(IReadOnlyList<ShardVisitor> visitors, IReadOnlySet<string> columns)
    {
        using var buffer = new MemoryStream();
        Write(buffer, visitors, columns);
        return buffer.ToArray();
    }

    /// <summary>
    /// Writes the visitors onto <paramref name="stream"/> (a store's file as it is stored: no copy of the shard in memory).
    /// Only <paramref name="columns"/> of each visitor's properties are written, whatever else they hold.
    /// </summary>
    public static void Write(Stream stream, IReadOnlyList<ShardVisitor> visitors, IReadOnlySet<string> columns)
    {
        var ordered = columns.Order(StringComparer.Ordinal).ToArray();
        // Buffered: a store's stream hashes every write, and a visitor's values are many small ones. Flushed, not disposed: the
        // stream is the caller's.
        var buffer = new BufferedStream(stream, 1 << 16);
        using (var writer = new BinaryWriter(buffer, Encoding.UTF8, leaveOpen: true))
        {
            writer.Write(Magic);
            writer.Write(ordered.Length);
            foreach (var column in ordered) writer.Write(column);
            writer.Write(visitors.Count);
            foreach (var visitor in visitors)
            {
                writer.Write(visitor.BadgeId);
                foreach (var column in ordered)
                {
                    var present = visitor.Properties.TryGetValue(column, out var value);
                    writer.Write(present);
                    if (present) writer.Write(value!);
                }
                writer.Write(visitor.PastSelves.Count);
                foreach (var self in visitor.PastSelves)
                {
                    writer.Write((int)self.PastKind);
                    writer.Write(self.PastBadgeId);
                    writer.Write(self.Type);
                }
            }
            writer.Write(EndMarker);
        }
        buffer.Flush();
    }

    /// <summary>The visitors of a shard file; a damaged or foreign file gives PipelineInputException naming <paramref name="name"/>.</summary>
    public static List<ShardVisitor> Read(Stream stream, string name)
    {
        try
        {
            // The candidates file's reader: a visitor's values are many short strings, and most repeat (roles, countries, answers).
            using var reader = new ShardFileReader(stream);
            if (reader.String(shared: false) != Magic) throw new PipelineInputException(name, "is not a recommendation shard's visitors");
            var columns = new string[Count(reader.Int32())];
            for (var c = 0; c < columns.Length; c++) columns[c] = reader.String(shared: true);
            var positions = ColumnarProperties.Positions(columns);
            var visitors = new List<ShardVisitor>(Count(reader.Int32()));
            for (var v = visitors.Capacity; v > 0; v--)
            {
                var badgeId = reader.String(shared: false);
                var values = new string?[columns.Length];
                for (var c = 0; c < values.Length; c++)
                    if (reader.Byte() != 0) values[c] = reader.String(shared: true);
                var properties = new ColumnarProperties(columns, positions, values);
                var selves = new SameVisitorLink[Count(reader.Int32())];
                for (var s = 0; s < selves.Length; s++)
                {
                    var kind = (VisitorKind)reader.Int32();
                    if (!Enum.IsDefined(kind)) throw new FormatException($"visitor {badgeId} has a past self of no known kind");
                    selves[s] = new SameVisitorLink(badgeId, kind, reader.String(shared: false), reader.String(shared: true));
                }
                visitors.Add(new ShardVisitor(badgeId, properties, selves));
            }
            if (reader.Int32() != EndMarker || !reader.AtEnd()) throw new PipelineInputException(name, "is corrupt (no end marker)");
            return visitors;
        }
        catch (Exception e) when (e is EndOfStreamException or IOException or FormatException or DecoderFallbackException)
        {
            throw new PipelineInputException(name, $"is cut short or corrupt: {e.Message}");
        }
    }

    private static int Count(int count) => count is >= 0 and <= 100_000_000 ? count : throw new FormatException($"a count of {count}");
}
