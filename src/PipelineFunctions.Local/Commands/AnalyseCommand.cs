using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using PipelineFunctions.Core;
using PipelineFunctions.Core.Artifacts;
using PipelineFunctions.Core.Events;
using PipelineFunctions.Core.Steps;
using PipelineFunctions.Core.Steps.Analysis;
using PipelineFunctions.Core.Steps.Recommendations;
using PipelineFunctions.Infrastructure.Artifacts;
using Spectre.Console;

namespace PipelineFunctions.Local.Commands;

/// <summary>
/// `pa analyse --event E --input DIR [--run-id ID] [--json]`: the post-show analysis of a run's exports against this year's
/// scans (in DIR), written into that run's folder; prints treatment against control per metric and segment.
/// </summary>
internal static class AnalyseCommand
{
    public static Command Create(TextWriter output, TextWriter error, PaServices services)
    {
        var eventOptions = new EventConfigOptions();
        var input = new Option<string>("--input")
        {
            Description = "Folder (or file:// / blob location) holding this year's scans and session export", Required = true,
        };
        var store = StoreOptions.Store();
        var runId = new Option<string?>("--run-id")
        {
            Description = "The run whose exports are analysed (default: the newest run with recommendations)",
        };
        var json = new Option<bool>("--json") { Description = "Print the analysis report as JSON" };
        var verbose = new Option<bool>("--verbose") { Description = "Log progress to standard error" };

        var command = new Command("analyse",
            "After the show: compare the visitors who received their agenda with the control group, from this year's seminar scans.");
        eventOptions.AddTo(command);
        foreach (var option in new Option[] { input, store, runId, json, verbose }) command.Add(option);
        command.SetAction((parseResult, cancellationToken) => PaCommandLine.Guard(error, async () =>
        {
            var config = eventOptions.Load(parseResult);
            var inputStore = ArtifactStoreLocator.Open(parseResult.GetValue(input)!);
            var runStore = services.OpenStore(parseResult.GetValue(store));
            await CheckScansAsync(config, inputStore, cancellationToken);
            var manifest = await RunLocator.FindStepManifestAsync(runStore, config.Event.Name, RecommendationStep.StepName,
                parseResult.GetValue(runId), cancellationToken, missingStep: "it has no recommendations, so there are no agendas to analyse");

            using var loggers = CliLogging.Create(parseResult.GetValue(verbose));
            var step = new PostShowAnalysisStep(loggers.CreateLogger<PostShowAnalysisStep>(), TimeProvider.System);
            var result = await step.RunAsync(new PostShowAnalysisRequest(config, inputStore, runStore, RunLocator.RunIdOf(runStore, manifest),
                manifest), cancellationToken);

            if (parseResult.GetValue(json))
                await output.WriteLineAsync(JsonSerializer.Serialize(result.Report, PipelineJson.Options));
            else
                Print(output, result);
            return PaCommandLine.ExitOk;
        }));
        return command;
    }

    private static async Task CheckScansAsync(EventConfig config, IArtifactStore inputs, CancellationToken cancellationToken)
    {
        if (!PostShowAnalysisStep.ScansConfigured(config))
            throw new PipelineInputException(config.SourcePath.Length > 0 ? config.SourcePath : config.Event.Name,
                "names no scans of this year's show with their reference: add inputs.scans_this_year and inputs.scan_reference_this_year " +
                "(see docs/post-show-analysis.md)",
                field: config.Inputs.ScansThisYear is null ? "inputs.scans_this_year" : "inputs.scan_reference_this_year");
        if (!await PostShowAnalysisStep.ScansPresentAsync(config, inputs, cancellationToken))
            throw new PipelineInputException(config.Inputs.ScansThisYear!,
                $"this year's scans or their reference ({config.Inputs.ScanReferenceThisYear}) are not in {inputs.Root}: " +
                "export them after the show (or simulate them with pa generate --uplift)");
    }

    private static void Print(TextWriter output, PostShowAnalysisResult result)
    {
        var r = result.Report;
        var console = CliConsole.For(output);
        // A table per segment is wider than a plain 80-column pipe allows: print it whole rather than wrapped in every cell.
        console.Profile.Width = Math.Max(console.Profile.Width, 120);
        console.MarkupLine($"[bold]post-show analysis[/] of [bold]{Markup.Escape(r.Event)}[/], run [bold]{Markup.Escape(r.RunId)}[/] "
                           + $"(exports of run {Markup.Escape(r.RecommendationsRunId)}): {r.TreatmentVisitors:N0} treated and "
                           + $"{r.ControlVisitors:N0} control visitors, k = {r.K}, {r.ScanCounts.GetValueOrDefault("attended_sessions"):N0} "
                           + $"attended sessions from {r.ScanCounts.GetValueOrDefault("scans_read"):N0} scans");
        foreach (var segment in r.Metrics.GroupBy(m => m.Segment))
        {
            var first = segment.First();
            var title = $"{segment.Key}: {first.TreatmentVisitors:N0} treated, {first.ControlVisitors:N0} control";
            var table = new Table { Title = new TableTitle(Markup.Escape(title)) }
                .AddColumns("metric", "treatment", "control", "difference", "95 % CI", "p", "test");
            foreach (var m in segment)
                table.AddRow(Markup.Escape(m.Metric), Value(m.Treatment), Value(m.Control), Value(m.Difference),
                    m.CiLow is { } low && m.CiHigh is { } high ? $"[[{Value(low)}, {Value(high)}]]" : "-",
                    m.PValue is { } p ? (m.Significant ? $"[bold]{P(p)}[/]" : P(p)) : "-", Markup.Escape(m.Test));
            console.Write(table);
        }
        foreach (var warning in r.Warnings)
            console.MarkupLine($"  warning {Markup.Escape(warning.Code)} ({warning.Count:N0}x in {Markup.Escape(warning.File)}): "
                               + Markup.Escape(warning.Message));
        console.MarkupLine($"  {Markup.Escape(result.AnalysisJson.ToString())}");
        console.MarkupLine($"  {Markup.Escape(result.AnalysisCsv.ToString())}");
    }

    private static string Value(double? value) => value is { } v ? v.ToString("0.000", CultureInfo.InvariantCulture) : "-";

    private static string P(double p) => p < 0.001 ? "<0.001" : p.ToString("0.000", CultureInfo.InvariantCulture);
}
