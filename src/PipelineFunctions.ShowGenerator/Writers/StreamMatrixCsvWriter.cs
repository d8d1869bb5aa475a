namespace PipelineFunctions.ShowGenerator.Writers;

/// <summary>
/// The wide YES matrices: job role to stream (first column "Job Role") and specialisation to stream (first column
/// "spezialization", sic). A cell is YES when the row's affinity for the stream is at least <see cref="GenerationProfile.MatrixThreshold"/>.
/// </summary>
internal static class StreamMatrixCsvWriter
{
    public const string JobRoleColumn = "Job Role";
    public const string SpecialisationColumn = "spezialization";
    public const string Yes = "YES";

    public static long Write(string path, string firstColumn, IReadOnlyList<string> streams,
        IEnumerable<(string Row, IReadOnlyDictionary<string, double> Affinity)> rows)
    {
        using var csv = OutputFormat.Csv(path);
        OutputFormat.WriteHeader(csv, streams.Prepend(firstColumn));
        long count = 0;
        foreach (var (row, affinity) in rows)
        {
            csv.WriteField(row);
            foreach (var stream in streams)
                csv.WriteField(affinity.TryGetValue(stream, out var value) && value >= GenerationProfile.MatrixThreshold ? Yes : "");
            csv.NextRecord();
            count++;
        }
        return count;
    }
}
