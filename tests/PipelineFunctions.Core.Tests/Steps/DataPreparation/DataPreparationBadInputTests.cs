using System.Text;
using Microsoft.Extensions.Logging.Abstractions;
using PipelineFunctions.Core.Steps.DataPreparation;
using PipelineFunctions.Core.Tests.Support;

namespace PipelineFunctions.Core.Tests.Steps.DataPreparation;

/// <summary>Every input fault a user can make: one message naming file (and row and field), and nothing published.</summary>
public sealed class DataPreparationBadInputTests
{
    public sealed record Fault(string Name, string File, Action<Dictionary<string, byte[]>> Plant, long? Row, string? Field, string MessagePart)
    {
        public override string ToString() => Name;
    }

    private const string Registrations = "registration_LVS24_LVS25.json";
    private const string Demographics = "demographics_LVS24_LVS25.json";
    private const string Sessions = "LVS25_session_export.csv";
    private const string Scans = "lvs2024 seminar scans.csv";

    private static Action<Dictionary<string, byte[]>> Replace(string file, string from, string to) =>
        files => files[file] = Encoding.UTF8.GetBytes(Text(files[file]).Replace(from, to));

    private static Action<Dictionary<string, byte[]>> Set(string file, byte[] content) => files => files[file] = content;

    private static string Text(byte[] bytes) => Encoding.UTF8.GetString(bytes);

    public static TheoryData<Fault> Faults() =>
    [
        new("missing input file", "teatres.csv", files => files.Remove("teatres.csv"), null, null, "input file not found"),
        new("missing registration export", Registrations, files => files.Remove(Registrations), null, null, "input file not found"),
        new("malformed JSON (truncated)", Registrations, files => files[Registrations] = files[Registrations][..900],
            null, null, "malformed JSON at line"),
        new("malformed JSON (missing comma)", Demographics, Replace(Demographics, "\"Vet/Vet Surgeon\"},", "\"Vet/Vet Surgeon\"}"),
            null, null, "malformed JSON at line 3"),
        new("JSON object instead of array", Demographics, Set(Demographics, "{\"BadgeId\": \"T001\"}"u8.ToArray()),
            null, null, "expected a JSON array of objects, found a single object"),
        new("JSON element that is not an object", Demographics, Replace(Demographics, "[\n", "[\n  42,\n"),
            1, null, "expected an object, found a number"),
        new("nested object where text is expected", Registrations, Replace(Registrations, "\"Country\": \"IE\"", "\"Country\": {\"code\": \"IE\"}"),
            5, "Country", "expected a text value, found an object"),
        new("empty JSON file", Registrations, Set(Registrations, []), null, null, "the file is empty"),
        new("JSON file of white space", Demographics, Set(Demographics, "  \n "u8.ToArray()), null, null, "the file is empty"),
        new("registration without badge id", Registrations, Replace(Registrations, "\"BadgeId\": \"T004\", ", ""),
            5, "BadgeId", "the badge id is missing"),
        new("unparseable registration date", Registrations, Replace(Registrations, "2025-10-21 09:00:00", "21/10/2025 09:00"),
            1, "RegistrationDate", "'21/10/2025 09:00' is not a date"),
        new("empty CSV file", Sessions, Set(Sessions, []), null, null, "the file is empty"),
        new("CSV missing a required column", Sessions, Replace(Sessions, ",title,", ",name,"), 1, null, "missing required column 'title'"),
        new("CSV with the wrong delimiter", Scans, Replace(Scans, ",", ";"), 1, null, "delimited by ';'"),
        new("CSV header naming a column twice", Sessions, Replace(Sessions, "sponsored_by\n", "stream\n"), 1, "stream", "names this column twice"),
        new("CSV record with a missing field", Sessions, Replace(Sessions, ",Safe anaesthesia.,No,", ",Safe anaesthesia.,No"),
            4, null, "has 9 fields but the header has 10"),
        new("unparseable session date", Sessions, Replace(Sessions, "S25-2,2025-11-20", "S25-2,20/11/2025"), 4, "date", "'20/11/2025' is not a date"),
        new("unparseable session time", Sessions, Replace(Sessions, "09:30,10:00", "9.30am,10:00"), 4, "start_time", "'9.30am' is not a time"),
        new("session ending before it starts", Sessions, Replace(Sessions, "09:30,10:00", "10:30,10:00"), 4, "end_time", "is before start_time"),
        new("unparseable scan date", Scans, Replace(Scans, "2024-11-14 09:50:00", "14.11.2024"), 3, "Scan Date", "'14.11.2024' is not a date"),
        new("invalid UTF-8 in a CSV", Sessions, files => files[Sessions] = [.. files[Sessions][..200], 0xC3, 0x28, .. files[Sessions][200..]],
            null, null, "not valid UTF-8"),
        new("capacity that is not a number", "teatres.csv", Replace("teatres.csv", "Theatre 2,40", "Theatre 2,forty"),
            3, "capacity", "'forty' is not a whole number"),
        new("matrix cell that is not YES", "job_to_stream.csv", Replace("job_to_stream.csv", "Vet Nurse,,,YES,", "Vet Nurse,,,maybe,"),
            3, "Nursing", "expected YES, NO or an empty cell"),
        new("no valid visitor this year", Registrations,
            files =>
            {
                Replace(Registrations, "\"LVS25\"", "\"LVS23\"")(files);
                Replace(Registrations, "\"ShowRef\": \"\"", "\"ShowRef\": \"LVS23\"")(files);
            },
            null, null, "no valid registration for this year's shows"),
    ];

    [Theory]
    [MemberData(nameof(Faults))]
    public async Task Bad_input_fails_with_one_message_naming_the_place_and_publishes_nothing(Fault fault)
    {
        var show = new SmallShow();
        var files = show.Files.ToDictionary(f => f.Key, f => Encoding.UTF8.GetBytes(f.Value.Replace("\r\n", "\n") + "\n"));
        fault.Plant(files);
        var inputs = new InMemoryArtifactStore();
        foreach (var (name, content) in files) inputs.Add(name, content);
        var outputs = new InMemoryArtifactStore();
        var step = new DataPreparationStep(NullLogger<DataPreparationStep>.Instance, TimeProvider.System);

        var error = await Assert.ThrowsAsync<PipelineInputException>(() =>
            step.RunAsync(new DataPreparationRequest(show.Config, inputs, outputs, "run-1")));

        Assert.Equal(fault.File, error.File);
        Assert.Contains(fault.MessagePart, error.Message);
        if (fault.Row is not null) Assert.Equal(fault.Row, error.Row);
        if (fault.Field is not null) Assert.Equal(fault.Field, error.Field);
        Assert.StartsWith(fault.File, error.Message);
        Assert.Empty(outputs.Paths);
    }

    public static TheoryData<string> ToleratedEncodings() => ["bom", "crlf", "bom+crlf"];

    [Theory]
    [MemberData(nameof(ToleratedEncodings))]
    public async Task Byte_order_marks_and_CRLF_line_ends_are_tolerated_and_change_nothing(string variant)
    {
        var plain = await RunWith(_ => { });
        var varied = await RunWith(files =>
        {
            foreach (var name in files.Keys.ToList())
            {
                var text = Text(files[name]);
                if (variant.Contains("crlf")) text = text.Replace("\n", "\r\n");
                var bytes = Encoding.UTF8.GetBytes(text);
                files[name] = variant.Contains("bom") ? [0xEF, 0xBB, 0xBF, .. bytes] : bytes;
            }
        });

        foreach (var name in new[]
        {
            "visitors_this_year.csv", "sessions_this_year.csv", "scans_past_main.csv", "job_role_streams.csv", "theatres.csv", "streams.json"
        })
            Assert.Equal(Text(plain.Get("runs/vet_lva/run-1/data_preparation/" + name)),
                Text(varied.Get("runs/vet_lva/run-1/data_preparation/" + name)));
    }

    private static async Task<InMemoryArtifactStore> RunWith(Action<Dictionary<string, byte[]>> change)
    {
        var show = new SmallShow();
        var files = show.Files.ToDictionary(f => f.Key, f => Encoding.UTF8.GetBytes(f.Value.Replace("\r\n", "\n") + "\n"));
        change(files);
        var inputs = new InMemoryArtifactStore();
        foreach (var (name, content) in files) inputs.Add(name, content);
        var outputs = new InMemoryArtifactStore();
        await new DataPreparationStep(NullLogger<DataPreparationStep>.Instance, TimeProvider.System)
            .RunAsync(new DataPreparationRequest(show.Config, inputs, outputs, "run-1"));
        return outputs;
    }
}
