using System.Globalization;
using System.Text.Json;
using CsvHelper;
using CsvHelper.Configuration;

namespace PipelineFunctions.ShowGenerator.Tests;

/// <summary>Reads the generated files back the way an importer would.</summary>
internal static class InputFiles
{
    /// <summary>Registration keys in the old (PascalCase) and the snake_case format, in the same order.</summary>
    public static readonly string[] OldRegistrationKeys =
    [
        "BadgeId", "ShowRef", "BadgeType", "Source", "Email", "Forename", "Surname", "JobTitle", "Company", "Country", "Tel", "Mobile",
        "RegistrationDate",
    ];
    public static readonly string[] SnakeRegistrationKeys =
    [
        "badge_id", "show_ref", "badge_type", "source", "email", "forename", "surname", "job_title", "company", "country", "tel", "mobile",
        "registration_date",
    ];

    public static List<Dictionary<string, string>> ReadJson(string path)
    {
        using var stream = File.OpenRead(path);
        using var document = JsonDocument.Parse(stream);
        var rows = new List<Dictionary<string, string>>();
        foreach (var element in document.RootElement.EnumerateArray())
        {
            var row = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var property in element.EnumerateObject())
            {
                Assert.Equal(JsonValueKind.String, property.Value.ValueKind);
                row[property.Name] = property.Value.GetString()!;
            }
            rows.Add(row);
        }
        return rows;
    }

    /// <summary>The property names of every object, in order (to check key sets and order).</summary>
    public static List<string[]> ReadJsonKeys(string path)
    {
        using var stream = File.OpenRead(path);
        using var document = JsonDocument.Parse(stream);
        return document.RootElement.EnumerateArray().Select(e => e.EnumerateObject().Select(p => p.Name).ToArray()).ToList();
    }

    public static (string[] Header, List<Dictionary<string, string>> Rows) ReadCsv(string path)
    {
        using var reader = new StreamReader(path);
        using var csv = new CsvReader(reader, new CsvConfiguration(CultureInfo.InvariantCulture));
        Assert.True(csv.Read());
        csv.ReadHeader();
        var header = csv.HeaderRecord!;
        var rows = new List<Dictionary<string, string>>();
        while (csv.Read())
        {
            var row = new Dictionary<string, string>(StringComparer.Ordinal);
            for (var i = 0; i < header.Length; i++) row[header[i]] = csv.GetField(i)!;
            rows.Add(row);
        }
        return (header, rows);
    }

    public static Dictionary<string, string> ToOldRegistrationKeys(Dictionary<string, string> snake)
    {
        var old = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 0; i < SnakeRegistrationKeys.Length; i++) old[OldRegistrationKeys[i]] = snake[SnakeRegistrationKeys[i]];
        return old;
    }

    /// <summary>lower(forename)_lower(surname)_lower(email), as the importer matches returning visitors.</summary>
    public static string Identity(Dictionary<string, string> registration) =>
        $"{registration["Forename"].Trim().ToLowerInvariant()}_{registration["Surname"].Trim().ToLowerInvariant()}_"
        + registration["Email"].Trim().ToLowerInvariant();

    /// <summary>The show ref, or the show token of Source when it is blank (LVS25_WEB -> LVS25).</summary>
    public static string ShowRef(Dictionary<string, string> registration)
    {
        if (registration["ShowRef"].Length > 0) return registration["ShowRef"];
        var match = System.Text.RegularExpressions.Regex.Match(registration["Source"], "[A-Za-z]{2,}[0-9]{2,}");
        return match.Success ? match.Value.ToUpperInvariant() : "UNKNOWN";
    }
}
