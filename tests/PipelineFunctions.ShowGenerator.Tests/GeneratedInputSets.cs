using System.Globalization;
using System.Text.Json;
using CsvHelper;
using CsvHelper.Configuration;
using PipelineFunctions.Core.Events;
using PipelineFunctions.ShowGenerator.Tests.Support;

namespace PipelineFunctions.ShowGenerator.Tests;

/// <summary>One generated input set: the config, what the generator decided, and the folder it wrote.</summary>
internal sealed class GeneratedInputSet
{
    public required EventConfig Config { get; init; }
    public required GeneratedShowData Data { get; init; }
    public required GenerationSummary Summary { get; init; }
    public required string Folder { get; init; }

    public string PathOf(string fileName) => Path.Combine(Folder, fileName);

    public List<Dictionary<string, string>> Json(string fileName) => InputFiles.ReadJson(PathOf(fileName));

    public (string[] Header, List<Dictionary<string, string>> Rows) Csv(string fileName) => InputFiles.ReadCsv(PathOf(fileName));

    /// <summary>Registration rows of both exports with standard (old format) field names.</summary>
    public List<Dictionary<string, string>> Registrations()
    {
        var rows = Json(Config.Inputs.MainRegistration);
        rows.AddRange(Json(Config.Inputs.SecondaryRegistration));
        return Config.Registration.OldFormat ? rows : rows.Select(InputFiles.ToOldRegistrationKeys).ToList();
    }

    /// <summary>Demographic rows of both exports as (BadgeId, showref, QuestionText, AnswerText).</summary>
    public List<(string BadgeId, string ShowRef, string Question, string Answer)> Demographics()
    {
        var keys = Config.Registration.OldFormat ? new[] { "BadgeId", "showref", "QuestionText", "AnswerText" } : ["badge_id", "show_ref", "question_text", "answer_text"];
        return Json(Config.Inputs.MainDemographics).Concat(Json(Config.Inputs.SecondaryDemographics))
            .Select(r => (r[keys[0]], r[keys[1]], r[keys[2]], r[keys[3]]))
            .ToList();
    }
}

/// <summary>
/// vet_lva (old format), vet_bva and ecomm (snake format) generated once for all generation tests, 600 visitors, seed 42.
/// </summary>
public sealed class GeneratedInputSets : IDisposable
{
    public const int Visitors = 600;
    public const int Seed = 42;
    private readonly string _root = Path.Combine(Path.GetTempPath(), "pa-generate-tests-" + Environment.ProcessId.ToString(CultureInfo.InvariantCulture));
    private readonly Dictionary<string, GeneratedInputSet> _sets = new(StringComparer.Ordinal);
    private readonly Lock _lock = new();

    internal GeneratedInputSet Get(string eventName)
    {
        lock (_lock)
        {
            if (_sets.TryGetValue(eventName, out var set)) return set;
            var config = LoadConfig(eventName);
            var data = ShowDataGenerator.Build(config, new GenerationOptions(Visitors, Seed));
            var folder = Path.Combine(_root, eventName);
            var summary = ShowDataGenerator.Write(data, folder);
            set = new GeneratedInputSet { Config = config, Data = data, Summary = summary, Folder = folder };
            _sets[eventName] = set;
            return set;
        }
    }

    internal static EventConfig LoadConfig(string eventName) =>
        EventConfigLoader.LoadFile(EventConfigLoader.ResolveEventPath(eventName, RepositoryPaths.Root));

    public void Dispose()
    {
        try
        {
            if (Directory.Exists(_root)) Directory.Delete(_root, recursive: true);
        }
        catch (IOException)
        {
            // A temp folder left behind is harmless.
        }
    }
}

[CollectionDefinition(Name)]
public sealed class GeneratedInputSetsCollection : ICollectionFixture<GeneratedInputSets>
{
    public const string Name = "generated input sets";
}

/// <summary>Reads the generated files back the way an importer would.</summary>
internal static class InputFiles
{
    private static readonly string[] OldRegistrationKeys =
        ["BadgeId", "ShowRef", "BadgeType", "Source", "Email", "Forename", "Surname", "JobTitle", "Company", "Country", "Tel", "Mobile", "RegistrationDate"];
    private static readonly string[] SnakeRegistrationKeys =
        ["badge_id", "show_ref", "badge_type", "source", "email", "forename", "surname", "job_title", "company", "country", "tel", "mobile", "registration_date"];

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
        $"{registration["Forename"].Trim().ToLowerInvariant()}_{registration["Surname"].Trim().ToLowerInvariant()}_{registration["Email"].Trim().ToLowerInvariant()}";

    /// <summary>The show ref, or the show token of Source when it is blank (LVS25_WEB -> LVS25).</summary>
    public static string ShowRef(Dictionary<string, string> registration)
    {
        if (registration["ShowRef"].Length > 0) return registration["ShowRef"];
        var match = System.Text.RegularExpressions.Regex.Match(registration["Source"], "[A-Za-z]{2,}[0-9]{2,}");
        return match.Success ? match.Value.ToUpperInvariant() : "UNKNOWN";
    }
}
