using PipelineFunctions.Core.Inputs;

namespace PipelineFunctions.Core.Steps.DataPreparation;

/// <summary>Reads seminar scans (Badge Id, Short Name, Scan Date, File) and their reference (Short Name, Seminar Name).</summary>
internal static class SeminarScanReaders
{
    public static readonly string[] ScanColumns = ["Badge Id", "Short Name", "Scan Date", "File"];
    public static readonly string[] ReferenceColumns = ["Short Name", "Seminar Name"];

    /// <summary>Checks the header and tells whether the file holds any scan, reading no further than the first one.</summary>
    public static bool HasScans(InputFile file)
    {
        using var csv = CsvInput.Open(file.Stream, file.DisplayName, ScanColumns);
        return csv.Read();
    }

    /// <summary>
    /// The scans one by one, as they are read: a past show has millions, and each is needed only while it is matched,
    /// so they are never all in memory.
    /// </summary>
    public static IEnumerable<SeminarScanRow> ReadScans(InputFile file)
    {
        using var csv = CsvInput.Open(file.Stream, file.DisplayName, ScanColumns);
        int badge = csv.ColumnIndex("Badge Id"), shortName = csv.ColumnIndex("Short Name"),
            date = csv.ColumnIndex("Scan Date"), source = csv.ColumnIndex("File");
        // Short names and source files repeat on every scan: one string per value.
        var pool = new TextPool();
        while (csv.Read())
        {
            var dateText = csv.Get(date);
            DateTime? scanDate = null;
            if (dateText.Length > 0)
            {
                if (!InputDates.TryParseDateTime(dateText, out var parsed))
                    throw new PipelineInputException(file.DisplayName, $"'{dateText}' is not a date (expected {InputDates.AcceptedDateTimes})",
                        csv.Row, "Scan Date");
                scanDate = parsed;
            }
            yield return new SeminarScanRow(file.DisplayName, csv.Row, csv.Get(badge), pool.Intern(csv.Get(shortName)), scanDate,
                pool.Intern(csv.Get(source)));
        }
    }

    /// <summary>Short name -> seminar name; a repeated short name keeps its first seminar, with a warning.</summary>
    public static Dictionary<string, string> ReadReference(InputFile file, PreparationWarnings warnings)
    {
        using var csv = CsvInput.Open(file.Stream, file.DisplayName, ReferenceColumns);
        int shortName = csv.ColumnIndex("Short Name"), seminar = csv.ColumnIndex("Seminar Name");
        var reference = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        while (csv.Read())
        {
            var key = csv.Get(shortName);
            if (key.Length == 0) continue;
            if (!reference.TryAdd(key, csv.Get(seminar)))
                warnings.Add(WarningCodes.DuplicateShortName, file.DisplayName, "short name listed twice; the first seminar wins", csv.Row,
                    "Short Name", key);
        }
        return reference;
    }
}
