using System.CommandLine;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using PipelineFunctions.Core;
using PipelineFunctions.Core.Artifacts;
using PipelineFunctions.Core.Graph;
using PipelineFunctions.Core.Steps.GraphPreparation;
using Spectre.Console;

namespace PipelineFunctions.Local.Commands;

/// <summary>`pa graph`: runs step 2 (graph preparation) on the outputs of a step-1 run, by default the newest.</summary>
internal static class GraphCommand
{
    public static Command Create(TextWriter output, TextWriter error, PaServices services)
    {
        var options = new RunStepOptions(services);
        var incremental = new Option<bool>("--incremental") { Description = "Keep what the graph holds and add only new nodes and relationships" };
        var full = new Option<bool>("--full") { Description = "Create or update everything and replace this year's sessions" };

        var command = new Command("graph", "Run step 2, graph preparation: load step 1's outputs into the agenda graph.");
        options.AddTo(command);
        command.Add(incremental);
        command.Add(full);
        command.SetAction((parseResult, cancellationToken) => PaCommandLine.Guard(error, async () =>
        {
            if (parseResult.GetValue(incremental) && parseResult.GetValue(full))
                throw new PipelineInputException("command line", "give at most one of --incremental and --full");
            GraphWriteMode? mode = parseResult.GetValue(incremental) ? GraphWriteMode.Incremental
                : parseResult.GetValue(full) ? GraphWriteMode.Full
                : null;
            var run = await options.ResolveAsync(parseResult, cancellationToken);

            using var loggers = CliLogging.Create(parseResult.GetValue(options.Verbose));
            var step = new GraphPreparationStep(loggers.CreateLogger<GraphPreparationStep>(), TimeProvider.System);
            var request = new GraphPreparationRequest(run.Config, run.PreparedManifest, run.Store, run.Graphs, run.RunId, run.Environment, mode);
            var result = await step.RunAsync(request, cancellationToken);

            if (parseResult.GetValue(options.Json))
                await output.WriteLineAsync(JsonSerializer.Serialize(new { result.ManifestUri, result.Metadata }, PipelineJson.Options));
            else
                Print(output, result.Metadata);
            return PaCommandLine.ExitOk;
        }));
        return command;
    }

    private static void Print(TextWriter output, GraphPreparationMetadata metadata)
    {
        var console = CliConsole.For(output);
        console.MarkupLine($"[bold]graph_preparation[/] for [bold]{Markup.Escape(metadata.Event)}[/], "
                           + $"run [bold]{Markup.Escape(metadata.RunId)}[/], graph {Markup.Escape(metadata.Environment)} "
                           + $"({metadata.Mode.ToString().ToLowerInvariant()}): done in {metadata.DurationMs:N0} ms");
        var table = new Table().AddColumns("processor", "ms", "written", "created", "updated", "skipped", "deleted");
        foreach (var (name, result) in metadata.Processors)
            foreach (var (what, stats) in result.Writes)
                table.AddRow(Markup.Escape(name), result.DurationMs.ToString("N0"), Markup.Escape(what),
                    stats.Created.ToString("N0"), stats.Updated.ToString("N0"), stats.Skipped.ToString("N0"), stats.Deleted.ToString("N0"));
        console.Write(table);
        var counts = new Table().AddColumns("graph holds", "count");
        foreach (var (label, count) in metadata.Graph.Nodes) counts.AddRow(Markup.Escape(label), count.ToString("N0"));
        foreach (var (type, count) in metadata.Graph.Relationships) counts.AddRow(Markup.Escape(type), count.ToString("N0"));
        console.Write(counts);
    }
}
