using System.CommandLine;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using PipelineFunctions.Core.Artifacts;
using PipelineFunctions.Core.Orchestration.Submissions;
using PipelineFunctions.Core.Steps.DataPreparation;
using PipelineFunctions.Infrastructure.Artifacts;
using Spectre.Console;

namespace PipelineFunctions.Local.Commands;

/// <summary>`pa prepare`: runs step 1 (data preparation) alone and prints what it published.</summary>
internal static class PrepareCommand
{
    public static Command Create(TextWriter output, TextWriter error, PaServices services)
    {
        var eventOptions = new EventConfigOptions();
        var input = new Option<string>("--input")
        {
            Description = "Folder (or file:// / blob location) holding the event's input files", Required = true,
        };
        var store = StoreOptions.Store();
        var runId = new Option<string?>("--run-id") { Description = "Run id (default: a new time-stamped id)" };
        var json = new Option<bool>("--json") { Description = "Print the run summary as JSON" };
        var verbose = new Option<bool>("--verbose") { Description = "Log progress to standard error" };

        var command = new Command("prepare", "Run step 1, data preparation: clean registrations, sessions and scans into step artifacts.");
        eventOptions.AddTo(command);
        command.Add(input);
        command.Add(store);
        command.Add(runId);
        command.Add(json);
        command.Add(verbose);
        command.SetAction((parseResult, cancellationToken) => PaCommandLine.Guard(error, async () =>
        {
            var config = eventOptions.Load(parseResult);
            var inputStore = ArtifactStoreLocator.Open(parseResult.GetValue(input)!);
            var outputStore = services.OpenStore(parseResult.GetValue(store));
            var id = parseResult.GetValue(runId) ?? RunIds.New(TimeProvider.System);

            using var loggers = CliLogging.Create(parseResult.GetValue(verbose));
            var step = new DataPreparationStep(loggers.CreateLogger<DataPreparationStep>(), TimeProvider.System);
            var result = await step.RunAsync(new DataPreparationRequest(config, inputStore, outputStore, id), cancellationToken);

            if (parseResult.GetValue(json))
            {
                var summary = new PrepareSummary(result.ManifestUri, result.Manifest, result.Metadata);
                await output.WriteLineAsync(JsonSerializer.Serialize(summary, PipelineJson.Options));
            }
            else
                PrintSummary(output, result);
            return PaCommandLine.ExitOk;
        }));
        return command;
    }

    public sealed record PrepareSummary(Uri ManifestUri, ArtifactManifest Manifest, DataPreparationMetadata Metadata);

    private static void PrintSummary(TextWriter output, DataPreparationResult result)
    {
        var console = CliConsole.For(output);
        var metadata = result.Metadata;
        console.MarkupLine($"[bold]data_preparation[/] for [bold]{Markup.Escape(metadata.Event)}[/], run [bold]{Markup.Escape(metadata.RunId)}[/]: "
                           + $"done in {metadata.DurationMs:N0} ms (reading {metadata.ReadDurationMs:N0} ms)");

        var outputs = new Table().AddColumns("output", "rows", "bytes", "sha256");
        foreach (var o in result.Manifest.Outputs)
            outputs.AddRow(Markup.Escape(o.Name), o.Rows?.ToString("N0") ?? "", o.Bytes.ToString("N0"), o.Sha256[..12]);
        console.Write(outputs);

        var registrations = metadata.Processors["registrations"].Counts;
        long Get(string key) => registrations.GetValueOrDefault(key);
        console.MarkupLine($"visitors this year {Get("visitors_this_year"):N0}, returning {Get("visitors_returning"):N0} "
                           + $"(past main {Get("visitors_past_main"):N0}, past secondary {Get("visitors_past_secondary"):N0}); "
                           + $"quarantined sessions {metadata.QuarantinedCount:N0}");
        if (metadata.Warnings.Count > 0)
        {
            var warnings = new Table().AddColumns("warning", "file", "count", "first rows");
            foreach (var w in metadata.Warnings)
                warnings.AddRow(Markup.Escape(w.Code), Markup.Escape(w.File), w.Count.ToString("N0"),
                    Markup.Escape(string.Join(", ", w.Examples.Where(e => e.Row is not null).Select(e => e.Row))));
            console.Write(warnings);
        }
        if (metadata.Drift is { } drift)
            foreach (var drifted in drift.AboveThreshold)
                console.MarkupLine($"[yellow]warning:[/] {Markup.Escape(DataDrift.WarningFor(drifted, drift.Threshold))}");
        console.MarkupLine($"manifest: {Markup.Escape(result.ManifestUri.ToString())}");
    }
}
