using System.Text;
using System.Text.Json;
using PipelineFunctions.Core.Events;
using PipelineFunctions.Core.Steps.Recommendations;
using PipelineFunctions.Core.Tests.Support;

namespace PipelineFunctions.Core.Tests.Steps.Recommendations;

public sealed class RecommendationExportsTests
{
    private static readonly EventConfig Config = EventConfigLoader.LoadFile(RepositoryPaths.EventConfig("vet_lva"));

    private static readonly Dictionary<string, RecommendableSession> Sessions = new()
    {
        ["S1"] = new("S1", "Feline dentistry, part 1", ["Feline", "Dentistry"], new DateOnly(2025, 11, 20), new TimeOnly(9, 30), new TimeOnly(10, 15),
            "Theatre 1"),
        ["S2"] = new("S2", "Equine lameness", ["Equine"], new DateOnly(2025, 11, 20), new TimeOnly(10, 0), new TimeOnly(10, 45), "Theatre 2"),
    };

    private static readonly Dictionary<string, string> Visitor = new()
    {
        ["BadgeId"] = "T001", ["Email"] = "jane@vets.co.uk", ["Forename"] = "Jane", ["Surname"] = "Doe", ["Company"] = "Hill Vets",
        ["JobTitle"] = "Vet", ["Country"] = "UK", ["Tel"] = "0100 SECRET", ["Mobile"] = "0700 SECRET", ["job_role"] = "Vet/Vet Surgeon",
        ["assist_year_before"] = "1",
    };

    private static List<ExportedAgenda> Agendas() =>
    [
        new(new Agenda("T001", [new AgendaItem("S1", 0.912345678, ["S2"]), new AgendaItem("S2", 0.5, ["S1"])],
                ["a rule left nothing; kept the unfiltered list"]),
            Visitor, GenerationStrategies.ReturningPastSessions),
    ];

    [Fact]
    public void Json_has_the_reference_shape_without_vectors_or_unconfigured_fields()
    {
        var bytes = RecommendationExports.Json(Config, Agendas(), Sessions,
            new Dictionary<string, long> { ["slots_at_capacity"] = 1 }, new Dictionary<string, long> { ["visitors"] = 1 });
        using var json = JsonDocument.Parse(bytes);
        var root = json.RootElement;

        Assert.Equal(["metadata", "theatre_capacity_stats", "recommendations", "statistics"], root.EnumerateObject().Select(p => p.Name));
        var visitor = root.GetProperty("recommendations").GetProperty("T001");
        Assert.Equal(GenerationStrategies.ReturningPastSessions, visitor.GetProperty("metadata").GetProperty("generation_strategy").GetString());
        var first = visitor.GetProperty("filtered_recommendations")[0];
        Assert.Equal("S1", first.GetProperty("session_id").GetString());
        Assert.Equal(0.912346, first.GetProperty("similarity_score").GetDouble());
        Assert.Equal(["S2"], first.GetProperty("overlapping_sessions").EnumerateArray().Select(e => e.GetString()));
        var text = Encoding.UTF8.GetString(bytes);
        Assert.DoesNotContain("SECRET", text);
        Assert.DoesNotContain("embedding", text);
        Assert.Equal("Hill Vets", visitor.GetProperty("visitor").GetProperty("Company").GetString());
        Assert.Equal("Vet/Vet Surgeon", visitor.GetProperty("visitor").GetProperty("job_role").GetString());
    }

    [Fact]
    public void Csv_has_one_row_per_visitor_and_session_with_the_reference_columns()
    {
        var lines = Encoding.UTF8.GetString(RecommendationExports.Csv(Config, Agendas(), Sessions)).TrimEnd('\n').Split('\n');

        Assert.Equal("visitor_id,show,assist_year_before,job_role,what_type_does_your_practice_specialise_in,organisation_type," +
                     "Country,Email,Forename,Surname,Company,JobTitle," +
                     "session_id,session_title,session_stream,session_date,session_start_time,session_end_time,similarity_score," +
                     "session_theatre_name,overlapping_sessions", lines[0]);
        Assert.Equal(3, lines.Length);
        Assert.Equal("T001,vet_lva,1,Vet/Vet Surgeon,,,UK,jane@vets.co.uk,Jane,Doe,Hill Vets,Vet," +
                     "S1,\"Feline dentistry, part 1\",Feline;Dentistry,2025-11-20,09:30,10:15,0.912346,Theatre 1,S2", lines[1]);
        Assert.DoesNotContain("SECRET", string.Join('\n', lines));
    }

    [Fact]
    public void Csv_fields_with_delimiters_quotes_and_line_breaks_read_back_as_written()
    {
        // The CSV encodes each visitor's and each session's fields once and writes them on every row: they must read back
        // exactly, whatever they hold, on every row.
        var odd = new RecommendableSession("S,3", "Cats \"and\" dogs,\nand rabbits", [" Feline", "Exotics;Small"], new DateOnly(2025, 11, 21),
            new TimeOnly(9, 0), new TimeOnly(9, 30), "Theatre, \"Main\"");
        var sessions = new Dictionary<string, RecommendableSession>(Sessions) { [odd.SessionId] = odd };
        var visitor = new Dictionary<string, string>(Visitor) { ["Company"] = "Hill \"Vets\", Ltd", ["Forename"] = " Jane\r\n", ["Country"] = "" };
        var agendas = new List<ExportedAgenda>
        {
            new(new Agenda("T,002", [new AgendaItem("S,3", 0.7, []), new AgendaItem("S1", 0.6, [])], []), visitor,
                GenerationStrategies.NewSimilarVisitors),
        };

        using var reader = new StringReader(Encoding.UTF8.GetString(RecommendationExports.Csv(Config, agendas, sessions)));
        using var csv = new CsvHelper.CsvReader(reader, System.Globalization.CultureInfo.InvariantCulture);
        var rows = csv.GetRecords<dynamic>().Cast<IDictionary<string, object>>().ToList();

        Assert.Equal(2, rows.Count);
        Assert.All(rows, row =>
        {
            Assert.Equal("T,002", row["visitor_id"]);
            Assert.Equal("Hill \"Vets\", Ltd", row["Company"]);
            Assert.Equal(" Jane\r\n", row["Forename"]);
            Assert.Equal("", row["Country"]);
        });
        Assert.Equal(["S,3", "Cats \"and\" dogs,\nand rabbits", " Feline;Exotics;Small", "2025-11-21", "09:00", "09:30", "0.7", "Theatre, \"Main\""],
            new[] { "session_id", "session_title", "session_stream", "session_date", "session_start_time", "session_end_time", "similarity_score",
                "session_theatre_name" }.Select(c => rows[0][c]));
        Assert.Equal("Theatre 1", rows[1]["session_theatre_name"]);
    }

    private static readonly string[] Reasons = ["you attended \"Cats, part 2\" at a past show", "matches your interest in Equine"];

    private static EventConfig WithExportReasons(string value)
    {
        var path = RepositoryPaths.EventConfig("vet_lva");
        var yaml = File.ReadAllText(path).Replace("\nrecommendation:\n", $"\nrecommendation:\n  export_reasons: {value}\n");
        return EventConfigLoader.Parse(yaml, path);
    }

    [Fact]
    public void Json_gives_each_session_its_reason_after_the_reference_fields()
    {
        var agendas = Agendas().Select(a => a with { Reasons = Reasons }).ToList();
        using var json = JsonDocument.Parse(RecommendationExports.Json(Config, agendas, Sessions, new Dictionary<string, long>(),
            new Dictionary<string, long>()));

        var items = json.RootElement.GetProperty("recommendations").GetProperty("T001").GetProperty("filtered_recommendations");
        Assert.Equal(Reasons, items.EnumerateArray().Select(i => i.GetProperty("reason").GetString()));
        Assert.Equal(["session_id", "title", "stream", "date", "start_time", "end_time", "theatre", "similarity_score", "overlapping_sessions",
            "reason"], items[0].EnumerateObject().Select(p => p.Name));
    }

    [Fact]
    public void Csv_ends_with_the_reason_column_only_when_export_reasons_is_set()
    {
        var agendas = Agendas().Select(a => a with { Reasons = Reasons }).ToList();
        var plain = Encoding.UTF8.GetString(RecommendationExports.Csv(WithExportReasons("false"), agendas, Sessions)).TrimEnd('\n').Split('\n');
        var withReasons = Encoding.UTF8.GetString(RecommendationExports.Csv(WithExportReasons("true"), agendas, Sessions)).TrimEnd('\n').Split('\n');

        Assert.False(Config.Recommendation.ExportReasons);
        Assert.Equal(RecommendationExports.Csv(Config, agendas, Sessions), Encoding.UTF8.GetBytes(string.Join('\n', plain) + "\n"));
        Assert.EndsWith(",overlapping_sessions", plain[0]);
        Assert.Equal(plain[0] + ",reason", withReasons[0]);
        Assert.Equal(plain[1] + ",\"you attended \"\"Cats, part 2\"\" at a past show\"", withReasons[1]);
        Assert.Equal(plain[2] + ",matches your interest in Equine", withReasons[2]);
    }

    [Fact]
    public void Export_reasons_that_is_not_a_boolean_is_refused_naming_the_key()
    {
        var e = Assert.Throws<PipelineInputException>(() => WithExportReasons("sometimes"));

        Assert.Contains("recommendation.export_reasons", e.Message);
    }

    [Fact]
    public void The_same_agendas_give_the_same_bytes()
    {
        var stats = new Dictionary<string, long> { ["b"] = 2, ["a"] = 1 };
        Assert.Equal(RecommendationExports.Json(Config, Agendas(), Sessions, stats, stats),
            RecommendationExports.Json(Config, Agendas(), Sessions, stats, stats));
        Assert.Equal(RecommendationExports.Csv(Config, Agendas(), Sessions), RecommendationExports.Csv(Config, Agendas(), Sessions));
    }
}
