using System.CommandLine;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using PipelineFunctions.Core.Artifacts;
using PipelineFunctions.Core.Steps.Embeddings;
using Spectre.Console;

namespace PipelineFunctions.Local.Commands;

/// <summary>`pa embed`: runs step 3 (session embeddings) on the sessions in the graph.</summary>
internal static class EmbedCommand
{
    public static Command Create(TextWriter output, TextWriter error, PaServices services)
    {
        var options = new RunStepOptions(services);
        var refit = new Option<bool>("--refit") { Description = "Fit a new local embedding model (every session is then embedded again)" };

        var command = new Command("embed", "Run step 3, session embeddings: embed new and changed sessions of the graph.");
        options.AddTo(command);
        command.Add(refit);
        command.SetAction((parseResult, cancellationToken) => PaCommandLine.Guard(error, async () =>
        {
            var run = await options.ResolveAsync(parseResult, cancellationToken);

            using var loggers = CliLogging.Create(parseResult.GetValue(options.Verbose));
            var step = new EmbeddingStep(loggers.CreateLogger<EmbeddingStep>(), TimeProvider.System);
            var embedders = services.Embedders(run.Store);
            var request = new EmbeddingRequest(run.Config, run.Store, run.Graphs, embedders, run.RunId, run.Environment, parseResult.GetValue(refit));
            var result = await step.RunAsync(request, cancellationToken);

            if (parseResult.GetValue(options.Json))
                await output.WriteLineAsync(JsonSerializer.Serialize(new { result.ManifestUri, result.Metadata }, PipelineJson.Options));
            else
            {
                var m = result.Metadata;
                var console = CliConsole.For(output);
                console.MarkupLine($"[bold]embeddings[/] for [bold]{Markup.Escape(m.Event)}[/], run [bold]{Markup.Escape(m.RunId)}[/], "
                                   + $"graph {Markup.Escape(m.Environment)}: "
                                   + $"done in {m.DurationMs:N0} ms (embedding {m.EmbedDurationMs:N0} ms)");
                console.MarkupLine($"model {Markup.Escape(m.ModelId)}, {m.Dimensions} dimensions");
                var table = new Table().AddColumns("sessions", "count");
                foreach (var (name, count) in m.Counts) table.AddRow(Markup.Escape(name), count.ToString("N0"));
                console.Write(table);
            }
            return PaCommandLine.ExitOk;
        }));
        return command;
    }
}
