using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.Extensions.Logging.Abstractions;
using PipelineFunctions.Core.Artifacts;
using PipelineFunctions.Core.Steps.DataPreparation;
using PipelineFunctions.Core.Tests.Support;

namespace PipelineFunctions.Core.Tests.Steps.DataPreparation;

public sealed class DataPreparationStepTests
{
    private const string RunId = "run-1";
    private const string Folder = "runs/vet_lva/run-1/data_preparation/";

    private static async Task<(DataPreparationResult Result, InMemoryArtifactStore Outputs)> Run(SmallShow show)
    {
        var outputs = new InMemoryArtifactStore();
        var step = new DataPreparationStep(NullLogger<DataPreparationStep>.Instance, TimeProvider.System);
        var result = await step.RunAsync(new DataPreparationRequest(show.Config, show.InputStore(), outputs, RunId));
        return (result, outputs);
    }

    private static List<Dictionary<string, string>> Table(InMemoryArtifactStore store, string name) => CsvTable.Parse(store.Get(Folder + name)).Rows;

    [Fact]
    public async Task Registrations_are_split_filtered_deduplicated_and_linked_to_past_selves()
    {
        var (_, outputs) = await Run(new SmallShow());
        var thisYear = Table(outputs, "visitors_this_year.csv");

        // T001 (first row wins over its duplicate), T002, T004 (show ref from Source); not T003 (no email),
        // T005 (unknown show), T006 (exhibitor badge).
        Assert.Equal(["T001", "T002", "T004"], thisYear.Select(v => v["BadgeId"]));
        var jane = thisYear[0];
        Assert.Equal("Jane", jane["Forename"]);
        Assert.Equal("1", jane["assist_year_before"]);
        Assert.Equal("P001", jane["BadgeId_last_year_lva"]);
        Assert.Equal("S001", jane["BadgeId_last_year_bva"]);
        Assert.Equal("30", jane["Days_since_registration"]);
        Assert.Equal("vets.co.uk", jane["Email_domain"]);
        Assert.Equal("0", thisYear[1]["assist_year_before"]);
        Assert.Equal("", thisYear[1]["BadgeId_last_year_lva"]);
        Assert.Equal("1", thisYear[1]["Days_since_registration"]);
        Assert.Equal("LVS25", thisYear[2]["ShowRef"]);
        Assert.Equal("0", thisYear[2]["Days_since_registration"]);

        // Only returning past visitors are kept: P001 (Jane) but not P002.
        Assert.Equal(["P001"], Table(outputs, "visitors_past_main.csv").Select(v => v["BadgeId"]));
        Assert.Equal(["S001"], Table(outputs, "visitors_past_secondary.csv").Select(v => v["BadgeId"]));
    }

    [Fact]
    public async Task Demographics_are_pivoted_and_vet_job_role_and_practice_type_are_inferred()
    {
        var (result, outputs) = await Run(new SmallShow());
        var thisYear = Table(outputs, "visitors_this_year.csv");
        var (header, _) = CsvTable.Parse(outputs.Get(Folder + "visitors_this_year.csv"));

        Assert.Equal(["job_role", "what_type_does_your_practice_specialise_in", "what_areas_do_you_specialise_in", "organisation_type"],
            header[^4..]);
        Assert.Equal("Vet/Vet Surgeon", thisYear[0]["job_role"]);
        Assert.Equal("Small Animal;Equine", thisYear[0]["what_type_does_your_practice_specialise_in"]);
        Assert.DoesNotContain("how_did_you_hear_about_the_show", header);
        // "Locum RVN" is a nurse before it is a locum: the first matching rule wins.
        Assert.Equal("Vet Nurse", thisYear[1]["job_role"]);
        // "Oak Vets Ltd." matches "OAK VETS LTD" in the practices file.
        Assert.Equal("Small Animal", thisYear[1]["what_type_does_your_practice_specialise_in"]);
        Assert.Equal("Independent Practice", thisYear[2]["organisation_type"]);
        Assert.Equal("", thisYear[2]["job_role"]);
        Assert.Equal("Companion Animal", Table(outputs, "visitors_past_secondary.csv")[0]["what_areas_do_you_specialise_in"]);

        var counts = result.Metadata.Processors["registrations"].Counts;
        Assert.Equal(1, counts["job_roles_inferred_this_year"]);
        Assert.Equal(1, counts["practice_types_inferred_this_year"]);
    }

    [Fact]
    public async Task Sessions_are_cleaned_deduplicated_by_key_text_and_quarantined()
    {
        var (result, outputs) = await Run(new SmallShow());
        var sessions = Table(outputs, "sessions_this_year.csv");

        // Sorted by date and time; the afternoon repeat of the lameness session (same key_text) is dropped;
        // the placeholder "Session TBA" is removed; the blank title is quarantined.
        Assert.Equal(["S25-1", "S25-2", "S25-3"], sessions.Select(s => s["session_id"]));
        Assert.Equal("equinelamenessstepbystep", sessions[0]["key_text"]);
        Assert.Equal("British Small Animal Veterinary Association", sessions[0]["sponsored_by"]);
        Assert.Equal("Small Animal;Anaesthesia", sessions[1]["stream"]);
        Assert.Equal("feline;Dentistry", sessions[2]["stream"]);

        var quarantined = Table(outputs, "sessions_quarantined.csv");
        Assert.Single(quarantined);
        Assert.Equal(("LVS25_session_export.csv", "6", "S25-4", "blank title"),
            (quarantined[0]["file"], quarantined[0]["row"], quarantined[0]["session_id"], quarantined[0]["reason"]));
        Assert.Equal(1, result.Metadata.QuarantinedCount);
        Assert.Equal(1, result.Metadata.Processors["sessions"].Counts["removed_placeholder_titles_this_year"]);
        Assert.Equal(1, result.Metadata.Processors["sessions"].Counts["duplicate_titles_removed_this_year"]);
    }

    [Fact]
    public async Task Stream_catalogue_is_case_insensitive_with_configured_descriptions()
    {
        var (_, outputs) = await Run(new SmallShow());
        var catalogue = JsonSerializer.Deserialize<Dictionary<string, string>>(outputs.Get(Folder + "streams.json"))!;

        Assert.Equal(["Anaesthesia", "Dentistry", "Equine", "feline", "Small Animal", "Wellbeing"], catalogue.Keys);
        Assert.Equal("Care, lameness, medicine and surgery of horses.", catalogue["Equine"]);
        Assert.Equal("Medicine and welfare specific to cats.", catalogue["feline"]);
        Assert.Equal("Anaesthesia", catalogue["Anaesthesia"]);
    }

    [Fact]
    public async Task Matrices_are_published_long_form_with_the_sessions_stream_spelling()
    {
        var (result, outputs) = await Run(new SmallShow());

        var jobRoles = Table(outputs, "job_role_streams.csv").Select(r => $"{r["job_role"]}>{r["stream"]}");
        Assert.Equal(["Vet/Vet Surgeon>Equine", "Vet/Vet Surgeon>Small Animal", "Vet/Vet Surgeon>feline", "Vet Nurse>Nursing"], jobRoles);
        var specialisations = Table(outputs, "specialisation_streams.csv").Select(r => $"{r["specialisation"]}>{r["stream"]}");
        Assert.Equal(["Equine>Equine", "Small Animal>Small Animal", "Farm>Farm"], specialisations);
        Assert.Equal(["Theatre 1:100", "Theatre 2:40"], Table(outputs, "theatres.csv").Select(t => $"{t["theatre__name"]}:{t["capacity"]}"));

        var codes = result.Metadata.Warnings.Select(w => (w.Code, Field: w.Examples.FirstOrDefault()?.Field)).ToList();
        Assert.Contains((ReferenceTableProcessor.StreamNotInSessions, "Nursing"), codes);
        Assert.Contains((ReferenceTableProcessor.TheatreWithoutCapacity, "Theatre 4"), codes);
    }

    [Fact]
    public async Task Scans_are_matched_to_past_sessions_by_key_text_and_kept_for_returning_visitors()
    {
        var (result, outputs) = await Run(new SmallShow());
        var scans = Table(outputs, "scans_past_main.csv");

        // P001's two scans into the same session count once; P002 is not returning; ZZZ-9 is not in the reference.
        Assert.Equal(["P001>S24-1", "P001>S24-2"], scans.Select(s => $"{s["BadgeId"]}>{s["session_id"]}"));
        Assert.Equal("Dental Radiography: A Practical Guide!", scans[0]["seminar_name"]);
        Assert.Equal("2024-11-14 09:35:00", scans[0]["scan_date"]);
        Assert.Equal(["S001>B25-1"], Table(outputs, "scans_past_secondary.csv").Select(s => $"{s["BadgeId"]}>{s["session_id"]}"));

        var counts = result.Metadata.Processors["scans_past_main"].Counts;
        Assert.Equal(5, counts["scans_read"]);
        Assert.Equal(1, counts["repeated_scans"]);
        Assert.Equal(1, counts["skipped_visitor_not_kept"]);
        Assert.Equal(1, counts["skipped_unknown_short_name"]);
    }

    [Fact]
    public async Task Keeping_all_past_visitors_keeps_non_returning_ones_and_their_scans()
    {
        var show = new SmallShow();
        var yaml = File.ReadAllText(RepositoryPaths.EventConfig("vet_lva"))
            .Replace("  old_format: true", "  old_format: true\n  keep_all_past_visitors: true");
        var config = Core.Events.EventConfigLoader.Parse(yaml, "vet_lva_all.yaml");
        var outputs = new InMemoryArtifactStore();
        await new DataPreparationStep(NullLogger<DataPreparationStep>.Instance, TimeProvider.System)
            .RunAsync(new DataPreparationRequest(config, show.InputStore(), outputs, RunId));

        Assert.Equal(["P001", "P002"], Table(outputs, "visitors_past_main.csv").Select(v => v["BadgeId"]));
        Assert.Equal(["P001>S24-1", "P002>S24-1", "P001>S24-2"],
            Table(outputs, "scans_past_main.csv").Select(s => $"{s["BadgeId"]}>{s["session_id"]}"));
    }

    [Fact]
    public async Task Tolerated_problems_are_warnings_in_the_metadata()
    {
        var (result, _) = await Run(new SmallShow());
        var warnings = result.Metadata.Warnings.GroupBy(w => w.Code).ToDictionary(g => g.Key, g => g.First());

        Assert.Equal(1, warnings[WarningCodes.DuplicateBadgeId].Count);
        Assert.Equal(3, warnings[WarningCodes.DuplicateBadgeId].Examples[0].Row);
        Assert.Equal(1, warnings[WarningCodes.MissingIdentity].Count);
        Assert.Equal("Email", warnings[WarningCodes.MissingIdentity].Examples[0].Field);
        Assert.Equal("XYZ99", warnings[WarningCodes.UnknownShowRef].Examples[0].Value);
        Assert.Equal("LVS25", warnings[WarningCodes.ShowRefFromSource].Examples[0].Value);
        Assert.Equal("ZZZ-9", warnings[WarningCodes.UnknownScanShortName].Examples[0].Value);
    }

    [Fact]
    public async Task Manifest_lists_every_output_with_its_hash_and_rows_and_every_input_with_its_hash()
    {
        var show = new SmallShow();
        var (result, outputs) = await Run(show);

        var manifest = JsonSerializer.Deserialize<ArtifactManifest>(outputs.Get(Folder + "manifest.json"), PipelineJson.Options)!;
        Assert.Equal(result.Manifest.Outputs.Select(o => o.Name), manifest.Outputs.Select(o => o.Name));
        Assert.Equal(14, manifest.Outputs.Count);
        foreach (var output in manifest.Outputs)
        {
            var bytes = outputs.Get(Folder + output.Name);
            Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(bytes)), output.Sha256);
            Assert.Equal(bytes.Length, output.Bytes);
            Assert.Equal(new Uri("memory://store/" + Folder + output.Name), output.Uri);
        }
        Assert.Equal(3, manifest.Output("visitors_this_year.csv").Rows);
        Assert.Null(manifest.Output("metadata.json").Rows);

        var inputs = show.InputStore();
        Assert.Equal(15, manifest.Inputs.Count);
        foreach (var input in manifest.Inputs)
            Assert.Equal(await inputs.GetContentHashAsync(ArtifactPath.Parse(input.Name)), input.Sha256);
    }

    [Fact]
    public async Task Same_inputs_give_byte_identical_outputs()
    {
        var (_, first) = await Run(new SmallShow());
        var (_, second) = await Run(new SmallShow());

        var compared = first.Paths.Where(p => !p.EndsWith("metadata.json") && !p.EndsWith("manifest.json")).ToList();
        Assert.Equal(13, compared.Count);
        foreach (var path in compared) Assert.Equal(first.Get(path), second.Get(path));
    }

    [Fact]
    public async Task Snake_case_exports_are_read_when_old_format_is_false()
    {
        var show = new SmallShow();
        var yaml = File.ReadAllText(RepositoryPaths.EventConfig("vet_lva")).Replace("old_format: true", "old_format: false");
        var config = Core.Events.EventConfigLoader.Parse(yaml, "vet_lva_snake.yaml");
        foreach (var name in new[] { "registration_LVS24_LVS25.json", "registration_BVA25.json" })
            show.Files[name] = SnakeCase(show.Files[name], RegistrationFieldNames.Standard, RegistrationFieldNames.Snake);
        foreach (var name in new[] { "demographics_LVS24_LVS25.json", "demographics_BVA25.json" })
            show.Files[name] = SnakeCase(show.Files[name], RegistrationFieldNames.DemographicsOld, RegistrationFieldNames.DemographicsSnake);

        var outputs = new InMemoryArtifactStore();
        var step = new DataPreparationStep(NullLogger<DataPreparationStep>.Instance, TimeProvider.System);
        await step.RunAsync(new DataPreparationRequest(config, show.InputStore(), outputs, RunId));

        var (oldResult, oldOutputs) = await Run(new SmallShow());
        Assert.Equal(oldOutputs.Get(Folder + "visitors_this_year.csv"), outputs.Get(Folder + "visitors_this_year.csv"));
    }

    [Fact]
    public async Task Old_format_flag_that_does_not_match_the_export_is_reported_with_a_hint()
    {
        var show = new SmallShow();
        var yaml = File.ReadAllText(RepositoryPaths.EventConfig("vet_lva")).Replace("old_format: true", "old_format: false");
        var config = Core.Events.EventConfigLoader.Parse(yaml, "vet_lva_snake.yaml");
        var step = new DataPreparationStep(NullLogger<DataPreparationStep>.Instance, TimeProvider.System);

        var error = await Assert.ThrowsAsync<PipelineInputException>(() =>
            step.RunAsync(new DataPreparationRequest(config, show.InputStore(), new InMemoryArtifactStore(), RunId)));
        Assert.Equal(1, error.Row);
        Assert.Equal("badge_id", error.Field);
        Assert.Contains("old_format is false", error.Message);
    }

    [Fact]
    public async Task A_storage_failure_while_publishing_withdraws_what_was_written()
    {
        var show = new SmallShow();
        var outputs = new InMemoryArtifactStore { FailOnPutNumber = 6 };
        var step = new DataPreparationStep(NullLogger<DataPreparationStep>.Instance, TimeProvider.System);

        await Assert.ThrowsAsync<IOException>(() => step.RunAsync(new DataPreparationRequest(show.Config, show.InputStore(), outputs, RunId)));
        Assert.Empty(outputs.Paths);
    }

    [Theory]
    [InlineData("../escape")]
    [InlineData("a/b")]
    [InlineData("")]
    [InlineData("%2e%2e")]
    public async Task Run_ids_that_could_escape_the_run_folder_are_refused(string runId)
    {
        var show = new SmallShow();
        var outputs = new InMemoryArtifactStore();
        var step = new DataPreparationStep(NullLogger<DataPreparationStep>.Instance, TimeProvider.System);

        var error = await Assert.ThrowsAsync<PipelineInputException>(() =>
            step.RunAsync(new DataPreparationRequest(show.Config, show.InputStore(), outputs, runId)));
        Assert.Equal("run id", error.File);
        Assert.Empty(outputs.Paths);
    }

    private static string SnakeCase(string json, string[] from, string[] to)
    {
        for (var i = 0; i < from.Length; i++) json = json.Replace($"\"{from[i]}\":", $"\"{to[i]}\":");
        return json;
    }
}
