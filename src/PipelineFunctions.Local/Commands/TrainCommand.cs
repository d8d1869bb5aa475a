using System.CommandLine;
using System.Text.Json;
using PipelineFunctions.Core.Artifacts;
using PipelineFunctions.Core.Steps.Recommendations.Ranking;
using Spectre.Console;

namespace PipelineFunctions.Local.Commands;

/// <summary>`pa train`: retrains the event's ranker and promotes it only if it beats the current model.</summary>
internal static class TrainCommand
{
    public static Command Create(TextWriter output, TextWriter error, PaServices services)
    {
        var options = new RankingDataOptions(services);
        var command = new Command("train",
            "Train a ranking model on last year's attendance, evaluate it against the current model on the same holdout, "
            + "and promote it if it is better by the configured margin.");
        options.AddTo(command);
        command.SetAction((parseResult, cancellationToken) => PaCommandLine.Guard(error, async () =>
        {
            var config = options.Event.Load(parseResult);
            var store = options.OpenStore(parseResult);
            using var loggers = CliLogging.Create(parseResult.GetValue(options.Verbose));
            var data = await options.LoadAsync(parseResult, config, store, loggers, cancellationToken);
            var registry = new RankingModelRegistry(store, config.Event.Name);
            var outcome = await new RankingModelTrainer(TimeProvider.System).TrainAsync(config, data, registry, cancellationToken);
            if (parseResult.GetValue(options.Json))
            {
                await output.WriteLineAsync(JsonSerializer.Serialize(outcome, PipelineJson.Options));
                return PaCommandLine.ExitOk;
            }
            EvaluateCommand.Print(output, outcome.Evaluation);
            var decision = outcome.Decision;
            CliConsole.For(output).MarkupLine(
                $"model [bold]{Markup.Escape(decision.Candidate)}[/]: "
                + $"{(decision.Promoted ? "[green]promoted[/]" : "[yellow]not promoted[/]")}: {Markup.Escape(decision.Reason)}");
            if (decision.Degradation is { } degradation) CliConsole.For(output).MarkupLine($"[yellow]warning:[/] {Markup.Escape(degradation)}");
            CliConsole.For(output).MarkupLine($"stored at {Markup.Escape(store.GetUri(registry.Folder(decision.Candidate)).ToString())}");
            return PaCommandLine.ExitOk;
        }));
        return command;
    }
}
