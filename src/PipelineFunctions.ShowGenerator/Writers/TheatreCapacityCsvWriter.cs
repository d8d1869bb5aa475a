using System.Globalization;

namespace PipelineFunctions.ShowGenerator.Writers;

/// <summary>Theatre capacities of this year's programme: theatre__name, number_visitors.</summary>
internal static class TheatreCapacityCsvWriter
{
    public static readonly IReadOnlyList<string> Header = ["theatre__name", "number_visitors"];

    public static long Write(string path, SessionProgramme programme)
    {
        using var csv = OutputFormat.Csv(path);
        OutputFormat.WriteHeader(csv, Header);
        foreach (var theatre in programme.Theatres)
            OutputFormat.WriteRecord(csv, theatre.Name, theatre.Capacity.ToString(CultureInfo.InvariantCulture));
        return programme.Theatres.Count;
    }
}
