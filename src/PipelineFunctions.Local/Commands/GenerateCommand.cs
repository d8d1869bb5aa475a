using System.CommandLine;
using System.Globalization;
using PipelineFunctions.Core;
using PipelineFunctions.Core.Steps;
using PipelineFunctions.Core.Steps.Recommendations;
using PipelineFunctions.ShowGenerator;

namespace PipelineFunctions.Local.Commands;

/// <summary>
/// `pa generate --event NAME --out DIR [--visitors N] [--seed S] [--profile vet|ecomm]`: writes a realistic input set
/// for an event in the reference system's formats (see docs/sample-data.md). With `--uplift U [--run-id ID] [--store S]
/// [--input DIR]` it writes the show's outcome instead: this year's scans simulated from a run's exports, with the absolute
/// uplift U planted for treated visitors (see docs/post-show-analysis.md).
/// </summary>
internal static class GenerateCommand
{
    public static Command Create(TextWriter output, TextWriter error, PaServices services)
    {
        var eventOptions = new EventConfigOptions();
        var outFolder = new Option<string?>("--out")
        {
            Description = "Folder to write the input files to (created if missing; files are overwritten)",
        };
        var visitors = new Option<int>("--visitors")
        {
            Description = string.Create(CultureInfo.InvariantCulture,
                $"This year's visitors ({GenerationOptions.MinVisitors} to {GenerationOptions.MaxVisitors:N0}); past shows scale from it"),
            DefaultValueFactory = _ => GenerationOptions.DefaultVisitors,
        };
        var seed = new Option<int>("--seed")
        {
            Description = "Random seed: the same seed and arguments give byte-identical files",
            DefaultValueFactory = _ => GenerationOptions.DefaultSeed,
        };
        var profile = new Option<string?>("--profile")
        {
            Description = "Vocabulary, vet or ecomm (default: vet when the config has vet business rules, else ecomm)",
        };

        var uplift = new Option<double?>("--uplift")
        {
            Description = "Write the show's outcome instead: this year's scans simulated from a run's exports, treated visitors' chance of "
                + "attending each recommended session raised by this absolute amount (0.10 = ten percentage points)",
        };
        var runId = new Option<string?>("--run-id") { Description = "With --uplift: the run whose exports are simulated (default: the newest)" };
        var store = StoreOptions.Store();
        var sessionsInput = new Option<string?>("--input")
        {
            Description = "With --uplift: the folder holding this year's session export (default: --out)",
        };

        var command = new Command("generate", "Write a realistic input set for an event in the reference system's formats.");
        eventOptions.AddTo(command);
        command.Add(outFolder);
        command.Add(visitors);
        command.Add(seed);
        command.Add(profile);
        command.Add(uplift);
        command.Add(runId);
        command.Add(store);
        command.Add(sessionsInput);

        command.SetAction((parseResult, cancellationToken) => PaCommandLine.Guard(error, async () =>
        {
            var folder = parseResult.GetValue(outFolder);
            if (string.IsNullOrWhiteSpace(folder))
                throw new PipelineInputException("--out", "is required: the folder to write the input files to");
            if (parseResult.GetValue(uplift) is { } planted)
            {
                var eventConfig = eventOptions.Load(parseResult);
                var runStore = services.OpenStore(parseResult.GetValue(store));
                var manifest = await RunLocator.FindStepManifestAsync(runStore, eventConfig.Event.Name, RecommendationStep.StepName,
                    parseResult.GetValue(runId), cancellationToken);
                var outcome = await ShowOutcomeSimulator.GenerateAsync(eventConfig, runStore, manifest,
                    parseResult.GetValue(sessionsInput) ?? folder, folder, new OutcomeOptions(planted, parseResult.GetValue(seed)),
                    cancellationToken);
                await WriteOutcomeSummary(output, outcome);
                return PaCommandLine.ExitOk;
            }
            var visitorCount = parseResult.GetValue(visitors);
            if (visitorCount is < GenerationOptions.MinVisitors or > GenerationOptions.MaxVisitors)
                throw new PipelineInputException("--visitors", string.Create(CultureInfo.InvariantCulture,
                    $"must be between {GenerationOptions.MinVisitors} and {GenerationOptions.MaxVisitors:N0} (got {visitorCount})"));
            var profileKind = ParseProfile(parseResult.GetValue(profile));
            var config = eventOptions.Load(parseResult);

            var options = new GenerationOptions(visitorCount, parseResult.GetValue(seed), profileKind);
            var summary = await Task.Run(() => ShowDataGenerator.Generate(config, options, folder, cancellationToken), cancellationToken);
            await WriteSummary(output, summary);
            return PaCommandLine.ExitOk;
        }));
        return command;
    }

    private static GenerationProfileKind? ParseProfile(string? value) => value?.Trim().ToLowerInvariant() switch
    {
        null or "" => null,
        "vet" => GenerationProfileKind.Vet,
        "ecomm" => GenerationProfileKind.Ecomm,
        _ => throw new PipelineInputException("--profile", $"'{value}' is not a profile: use vet or ecomm"),
    };

    private static async Task WriteSummary(TextWriter output, GenerationSummary summary)
    {
        var inv = CultureInfo.InvariantCulture;
        await output.WriteLineAsync(string.Create(inv,
            $"Generated {summary.EventName} (profile {summary.Profile.ToString().ToLowerInvariant()}, seed {summary.Seed}): "
            + $"{summary.VisitorsThisYear:N0} visitors this year, {summary.ReturningVisitors:N0} returning"));
        await output.WriteLineAsync($"in {summary.Folder}");
        var width = summary.Files.Max(f => f.Name.Length);
        foreach (var file in summary.Files)
            await output.WriteLineAsync(string.Create(inv, $"  {file.Name.PadRight(width)}  {file.Rows,10:N0} rows  {FormatBytes(file.Bytes),10}"));
        await output.WriteLineAsync(string.Create(inv,
            $"  {"total".PadRight(width)}  {summary.Files.Sum(f => f.Rows),10:N0} rows  {FormatBytes(summary.Files.Sum(f => f.Bytes)),10}"));
    }

    private static async Task WriteOutcomeSummary(TextWriter output, ShowOutcomeSummary summary)
    {
        await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
            $"Simulated the outcome of {summary.EventName} from run {summary.RecommendationsRunId} (uplift {summary.Uplift:0.###} absolute, "
            + $"seed {summary.Seed}): {summary.TreatedVisitors:N0} treated and {summary.ControlVisitors:N0} control visitors"));
        await output.WriteLineAsync($"in {summary.Folder}");
        foreach (var file in summary.Files)
            await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                $"  {file.Name}  {file.Rows,10:N0} rows  {FormatBytes(file.Bytes),10}"));
    }

    private static string FormatBytes(long bytes) => bytes switch
    {
        < 1024 => string.Create(CultureInfo.InvariantCulture, $"{bytes} B"),
        < 1024 * 1024 => string.Create(CultureInfo.InvariantCulture, $"{bytes / 1024.0:F1} KB"),
        _ => string.Create(CultureInfo.InvariantCulture, $"{bytes / (1024.0 * 1024.0):F1} MB"),
    };
}
