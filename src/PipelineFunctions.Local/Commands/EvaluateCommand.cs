using System.CommandLine;
using System.Text.Json;
using PipelineFunctions.Core.Artifacts;
using PipelineFunctions.Core.Steps.Recommendations.Ranking;
using Spectre.Console;

namespace PipelineFunctions.Local.Commands;

/// <summary>`pa evaluate`: the offline comparison of random, popularity, the reference heuristic and the learned ranker.</summary>
internal static class EvaluateCommand
{
    public static Command Create(TextWriter output, TextWriter error, PaServices services)
    {
        var options = new RankingDataOptions(services);
        var command = new Command("evaluate",
            "Hold out a seeded share of last year's visitors, rank last year's sessions for them from their registration, "
            + "and compare rankers by recall@10, NDCG@10 and coverage.");
        options.AddTo(command);
        command.SetAction((parseResult, cancellationToken) => PaCommandLine.Guard(error, async () =>
        {
            var config = options.Event.Load(parseResult);
            using var loggers = CliLogging.Create(parseResult.GetValue(options.Verbose));
            var data = await options.LoadAsync(parseResult, config, options.OpenStore(parseResult), loggers, cancellationToken);
            var report = RankingExperiment.Run(config, data, cancellationToken: cancellationToken).Report;
            if (parseResult.GetValue(options.Json)) await output.WriteLineAsync(JsonSerializer.Serialize(report, PipelineJson.Options));
            else Print(output, report);
            return PaCommandLine.ExitOk;
        }));
        return command;
    }

    public static void Print(TextWriter output, EvaluationReport report)
    {
        var console = CliConsole.For(output);
        console.MarkupLine($"[bold]{Markup.Escape(report.Event)}[/]: {report.HoldoutVisitors:N0} held-out visitors "
                           + $"({report.HoldoutShare:P0}, seed {report.Seed}), {report.TrainingVisitors:N0} to learn from "
                           + $"({report.TrainingExamples:N0} examples), {report.CandidateSessions:N0} sessions ranked");
        var table = new Table().AddColumns("method", "recall@10", "NDCG@10", "coverage");
        foreach (var (name, m) in report.Methods.OrderBy(m => m.Value.NdcgAt10))
            table.AddRow(Markup.Escape(name), m.RecallAt10.ToString("0.0000"), m.NdcgAt10.ToString("0.0000"), m.Coverage.ToString("P1"));
        console.Write(table);
    }
}
