using System.Globalization;
using PipelineFunctions.Core.Inputs;

namespace PipelineFunctions.Core.Steps.DataPreparation;

/// <summary>
/// Reads the job-role and specialisation matrices (first column the key, one column per stream, YES marks a mapping) and theatre capacities.
/// </summary>
internal static class ReferenceTableReaders
{
    public const string JobRoleColumn = "Job Role";
    public const string SpecialisationColumn = "spezialization"; // sic: the reference export's spelling
    public static readonly string[] TheatreColumns = ["theatre__name", "theatre_name", "theatre"];
    public static readonly string[] CapacityColumns = ["number_visitors", "capacity", "max_visitors"];

    public static List<StreamMapping> ReadMatrix(InputFile file, string keyColumn)
    {
        using var csv = CsvInput.Open(file.Stream, file.DisplayName, keyColumn);
        var keyIndex = csv.ColumnIndex(keyColumn);
        var streams = csv.Header.Select((name, index) => (Name: name.Trim(), index)).Where(c => c.index != keyIndex && c.Name.Length > 0).ToList();
        if (streams.Count == 0)
            throw new PipelineInputException(file.DisplayName, "the matrix has no stream columns after the first column", row: 1);
        var mappings = new List<StreamMapping>();
        while (csv.Read())
        {
            var key = csv.Get(keyIndex);
            if (key.Length == 0) continue;
            foreach (var (stream, index) in streams)
            {
                var cell = csv.Get(index);
                if (cell.Equals("YES", StringComparison.OrdinalIgnoreCase)) mappings.Add(new StreamMapping(key, stream));
                else if (cell.Length > 0 && !cell.Equals("NO", StringComparison.OrdinalIgnoreCase))
                    throw new PipelineInputException(file.DisplayName, $"expected YES, NO or an empty cell, found '{cell}'", csv.Row, stream);
            }
        }
        return mappings;
    }

    public static List<TheatreCapacity> ReadTheatres(InputFile file)
    {
        using var csv = CsvInput.Open(file.Stream, file.DisplayName);
        var theatre = csv.ColumnIndex(TheatreColumns);
        var capacity = csv.ColumnIndex(CapacityColumns);
        if (theatre < 0 || capacity < 0)
            throw new PipelineInputException(file.DisplayName,
                $"expected a theatre column ({string.Join(", ", TheatreColumns)}) and a capacity column ({string.Join(", ", CapacityColumns)}); " +
                $"the header has: {string.Join(", ", csv.Header.Select(h => $"'{h}'"))}",
                row: 1);
        var theatres = new List<TheatreCapacity>();
        var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        while (csv.Read())
        {
            var name = csv.Get(theatre);
            if (name.Length == 0) continue;
            var text = csv.Get(capacity);
            if (!double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) || value < 0 || value > 1_000_000
                || value != Math.Floor(value))
                throw new PipelineInputException(file.DisplayName, $"'{text}' is not a whole number of visitors", csv.Row, csv.Header[capacity]);
            if (!seen.Add(name))
                throw new PipelineInputException(file.DisplayName, $"theatre '{name}' is listed twice", csv.Row, csv.Header[theatre]);
            theatres.Add(new TheatreCapacity(name, (int)value));
        }
        return theatres;
    }
}
