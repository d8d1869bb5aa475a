namespace PipelineFunctions.Core.Artifacts;

/// <summary>A CSV artifact read whole: its header and rows, values as text in header order.</summary>
public sealed record ArtifactTable(string Name, IReadOnlyList<string> Header, IReadOnlyList<string[]> Rows)
{
    public int Column(string name)
    {
        for (var i = 0; i < Header.Count; i++)
            if (Header[i] == name) return i;
        throw new PipelineInputException(Name, $"the artifact has no column '{name}' (it was written by another version of step 1?)", row: 1);
    }

    /// <summary>A row as an ordered property map (every column, empty values included).</summary>
    public IReadOnlyDictionary<string, string> Properties(string[] row)
    {
        var properties = new OrderedDictionary<string, string>(Header.Count, StringComparer.Ordinal);
        for (var i = 0; i < Header.Count; i++) properties[Header[i]] = row[i];
        return properties;
    }
}
