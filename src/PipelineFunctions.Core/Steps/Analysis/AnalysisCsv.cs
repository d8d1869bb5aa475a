using System.Globalization;
using System.Text;
using CsvHelper;
using CsvHelper.Configuration;

namespace PipelineFunctions.Core.Steps.Analysis;

/// <summary>analysis.csv: one row per metric × segment, numbers in invariant culture, empty where a value is undefined.</summary>
internal static class AnalysisCsv
{
    public static readonly string[] Columns =
    [
        "metric", "segment", "test", "treatment_visitors", "control_visitors", "treatment", "control", "difference", "ci_low", "ci_high",
        "p_value", "significant",
    ];

    public static byte[] Render(IEnumerable<MetricComparison> rows)
    {
        using var buffer = new MemoryStream();
        using (var text = new StreamWriter(buffer, new UTF8Encoding(false), leaveOpen: true))
        using (var csv = new CsvWriter(text, new CsvConfiguration(CultureInfo.InvariantCulture) { NewLine = "\n" }))
        {
            foreach (var column in Columns) csv.WriteField(column);
            csv.NextRecord();
            foreach (var row in rows)
            {
                foreach (var field in new[] { row.Metric, row.Segment, row.Test, row.TreatmentVisitors.ToString(CultureInfo.InvariantCulture),
                             row.ControlVisitors.ToString(CultureInfo.InvariantCulture), Number(row.Treatment), Number(row.Control),
                             Number(row.Difference), Number(row.CiLow), Number(row.CiHigh), Number(row.PValue),
                             row.PValue is null ? "" : row.Significant ? "true" : "false" })
                    csv.WriteField(field);
                csv.NextRecord();
            }
        }
        return buffer.ToArray();
    }

    private static string Number(double? value) => value is { } v ? v.ToString("0.########", CultureInfo.InvariantCulture) : "";
}
