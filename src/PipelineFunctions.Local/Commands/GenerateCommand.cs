using System.CommandLine;
using System.Globalization;
using PipelineFunctions.Core;
using PipelineFunctions.ShowGenerator;

namespace PipelineFunctions.Local.Commands;

/// <summary>
/// `pa generate --event NAME --out DIR [--visitors N] [--seed S] [--profile vet|ecomm]`: writes a realistic input set
/// for an event in the reference system's formats (see docs/sample-data.md).
/// </summary>
internal static class GenerateCommand
{
    public static Command Create(TextWriter output, TextWriter error)
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

        var command = new Command("generate", "Write a realistic input set for an event in the reference system's formats.");
        eventOptions.AddTo(command);
        command.Add(outFolder);
        command.Add(visitors);
        command.Add(seed);
        command.Add(profile);

        command.SetAction((parseResult, cancellationToken) => PaCommandLine.Guard(error, async () =>
        {
            var folder = parseResult.GetValue(outFolder);
            if (string.IsNullOrWhiteSpace(folder))
                throw new PipelineInputException("--out", "is required: the folder to write the input files to");
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

    private static string FormatBytes(long bytes) => bytes switch
    {
        < 1024 => string.Create(CultureInfo.InvariantCulture, $"{bytes} B"),
        < 1024 * 1024 => string.Create(CultureInfo.InvariantCulture, $"{bytes / 1024.0:F1} KB"),
        _ => string.Create(CultureInfo.InvariantCulture, $"{bytes / (1024.0 * 1024.0):F1} MB"),
    };
}
