using PipelineFunctions.Core.Inputs;

namespace PipelineFunctions.Core.Steps.DataPreparation;

/// <summary>Reads the practices file (vet shows): company name -> main type of veterinary practice.</summary>
internal static class PracticesCsvReader
{
    public const string CompanyColumn = "Company Name";
    public const string PracticeTypeColumn = "Main Type of Veterinary Practice";

    public static Dictionary<string, string> Read(InputFile file)
    {
        using var csv = CsvInput.Open(file.Stream, file.DisplayName, CompanyColumn, PracticeTypeColumn);
        var practices = new Dictionary<string, string>(StringComparer.Ordinal);
        while (csv.Read())
        {
            var company = TextKeys.CompanyKey(csv.Get(CompanyColumn));
            var type = csv.Get(PracticeTypeColumn);
            if (company.Length > 0 && type.Length > 0) practices.TryAdd(company, type);
        }
        return practices;
    }
}
