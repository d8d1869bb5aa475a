using System.CommandLine;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using PipelineFunctions.Core.Artifacts;
using PipelineFunctions.Core.Steps.Recommendations;
using Spectre.Console;

namespace PipelineFunctions.Local.Commands;

/// <summary>`pa recommend`: runs step 4 (recommendations, reference heuristic for now) on the graph of a run.</summary>
internal static class RecommendCommand
{
    public static Command Create(TextWriter output, TextWriter error, PaServices services)
    {
        var options = new RunStepOptions(services);
        var incremental = new Option<bool>("--incremental") { Description = "Recommend only for visitors who have no recommendations yet" };

        var command = new Command("recommend",
            "Run step 4, recommendations: build every visitor's agenda, export it and write it back to the graph.");
        options.AddTo(command);
        command.Add(incremental);
        command.SetAction((parseResult, cancellationToken) => PaCommandLine.Guard(error, async () =>
        {
            var run = await options.ResolveAsync(parseResult, cancellationToken);

            using var loggers = CliLogging.Create(parseResult.GetValue(options.Verbose));
            var step = new RecommendationStep(loggers.CreateLogger<RecommendationStep>(), TimeProvider.System);
            var request = new RecommendationRequest(run.Config, run.Store, run.Graphs, run.PreparedManifest, run.RunId, run.Environment,
                parseResult.GetValue(incremental) ? true : null);
            var result = await step.RunAsync(request, cancellationToken);

            if (parseResult.GetValue(options.Json))
            {
                await output.WriteLineAsync(JsonSerializer.Serialize(new { result.ManifestUri, result.Metadata }, PipelineJson.Options));
                return PaCommandLine.ExitOk;
            }
            var m = result.Metadata;
            var console = CliConsole.For(output);
            console.MarkupLine($"[bold]recommendations[/] for [bold]{Markup.Escape(m.Event)}[/], run [bold]{Markup.Escape(m.RunId)}[/], "
                               + $"graph {Markup.Escape(m.Environment)}{(m.Incremental ? " (incremental)" : "")}, "
                               + $"ranker {Markup.Escape(m.Ranker)}: done in {m.DurationMs:N0} ms, "
                               + $"{m.Sharding.Shards:N0} shards ({result.ShardsReused:N0} reused)");
            var table = new Table().AddColumns("", "count");
            foreach (var (name, count) in m.Counts) table.AddRow(Markup.Escape(name), count.ToString("N0"));
            foreach (var (name, count) in m.Strategies) table.AddRow(Markup.Escape("strategy " + name), count.ToString("N0"));
            console.Write(table);
            foreach (var o in result.Manifest.Outputs) console.MarkupLine($"  {Markup.Escape(o.Uri.ToString())}");
            return PaCommandLine.ExitOk;
        }));
        return command;
    }
}
