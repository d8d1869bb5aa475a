using System.Globalization;
using System.Text;
using CsvHelper;

namespace PipelineFunctions.Core.Tests.Support;

/// <summary>Parses a published CSV into rows keyed by column, for assertions.</summary>
public static class CsvTable
{
    public static (string[] Header, List<Dictionary<string, string>> Rows) Parse(byte[] content)
    {
        using var reader = new StringReader(Encoding.UTF8.GetString(content));
        using var csv = new CsvReader(reader, CultureInfo.InvariantCulture);
        csv.Read();
        csv.ReadHeader();
        var header = csv.HeaderRecord!;
        var rows = new List<Dictionary<string, string>>();
        while (csv.Read())
            rows.Add(header.Select((h, i) => (h, v: csv.GetField(i) ?? "")).ToDictionary(x => x.h, x => x.v));
        return (header, rows);
    }
}
