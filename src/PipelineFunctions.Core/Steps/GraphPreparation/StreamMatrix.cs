using PipelineFunctions.Core.Artifacts;

namespace PipelineFunctions.Core.Steps.GraphPreparation;

/// <summary>A long-form YES matrix from step 1 (key, stream), looked up case-insensitively.</summary>
public sealed class StreamMatrix
{
    private readonly Dictionary<string, List<string>> _streamsByKey = new(StringComparer.OrdinalIgnoreCase);

    public static StreamMatrix From(ArtifactTable table, string keyColumn)
    {
        var matrix = new StreamMatrix();
        int key = table.Column(keyColumn), stream = table.Column("stream");
        foreach (var row in table.Rows)
        {
            if (!matrix._streamsByKey.TryGetValue(row[key], out var streams)) matrix._streamsByKey[row[key]] = streams = [];
            streams.Add(row[stream]);
        }
        return matrix;
    }

    public IReadOnlyList<string> StreamsOf(string key) => _streamsByKey.TryGetValue(key.Trim(), out var streams) ? streams : [];
}
