namespace PipelineFunctions.ShowGenerator.Writers;

/// <summary>The practices file (vet shows): every visitor's company and its main practice type, by company name.</summary>
internal static class PracticesCsvWriter
{
    public static readonly IReadOnlyList<string> Header = ["Company Name", "Main Type of Veterinary Practice"];

    public static long Write(string path, IEnumerable<Company> companies)
    {
        using var csv = OutputFormat.Csv(path);
        OutputFormat.WriteHeader(csv, Header);
        long count = 0;
        foreach (var company in companies.OrderBy(c => c.Name, StringComparer.Ordinal))
        {
            OutputFormat.WriteRecord(csv, company.Name, company.Specialisation ?? company.Organisation);
            count++;
        }
        return count;
    }
}
