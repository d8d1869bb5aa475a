using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using PipelineFunctions.Core.Artifacts;
using PipelineFunctions.Core.Steps.Recommendations.Ranking;
using Spectre.Console;

namespace PipelineFunctions.Local.Commands;

/// <summary>
/// `pa models`: the event's registered ranking models with their scores and decisions, then the retraining history;
/// `pa models history`: that history alone (or as JSON); `pa models promote`: point step 4 at a version (a manual rollback).
/// </summary>
internal static class ModelsCommand
{
    public static Command Create(TextWriter output, TextWriter error, PaServices services)
    {
        var eventOptions = new EventConfigOptions();
        var store = StoreOptions.Store();
        var json = new Option<bool>("--json") { Description = "Print the versions as JSON" };
        var command = new Command("models",
            "List the event's ranking models: version, holdout NDCG@10, promotion decision, and which one step 4 uses.");
        eventOptions.AddTo(command);
        command.Add(store);
        command.Add(json);
        command.SetAction((parseResult, cancellationToken) => PaCommandLine.Guard(error, async () =>
        {
            var config = eventOptions.Load(parseResult);
            var registry = new RankingModelRegistry(services.OpenStore(parseResult.GetValue(store)), config.Event.Name);
            var current = await registry.CurrentAsync(cancellationToken);
            var versions = new List<ModelSummary>();
            foreach (var info in await registry.ListAsync(cancellationToken))
                versions.Add(new ModelSummary(info, await registry.DecisionAsync(info.Version, cancellationToken), info.Version == current?.Version));
            if (parseResult.GetValue(json))
            {
                await output.WriteLineAsync(JsonSerializer.Serialize(versions, PipelineJson.Options));
                return PaCommandLine.ExitOk;
            }
            var console = CliConsole.For(output);
            if (versions.Count == 0)
            {
                console.MarkupLine(
                    $"no ranking model for {Markup.Escape(config.Event.Name)} yet: step 4 uses the reference heuristic (pa train trains one)");
                return PaCommandLine.ExitOk;
            }
            var table = new Table().AddColumns("version", "created", "NDCG@10", "decision", "current");
            foreach (var v in versions)
                table.AddRow(Markup.Escape(v.Info.Version), v.Info.CreatedAt.ToString("u"), v.Info.Holdout.NdcgAt10.ToString("0.0000"),
                    Markup.Escape(v.Decision is null ? "" : v.Decision.Promoted ? "promoted" : "not promoted"), v.Current ? "*" : "");
            console.Write(table);
            WriteHistory(console, await registry.HistoryAsync(cancellationToken));
            return PaCommandLine.ExitOk;
        }));
        command.Add(Promote(output, error, services));
        command.Add(History(output, error, services));
        return command;
    }

    /// <summary>`pa models history`: every retraining's holdout scores, oldest first (the monitoring record), as a table or JSON.</summary>
    private static Command History(TextWriter output, TextWriter error, PaServices services)
    {
        var eventOptions = new EventConfigOptions();
        var store = StoreOptions.Store();
        var json = new Option<bool>("--json") { Description = "Print the history as JSON" };
        var command = new Command("history",
            "The event's retrainings, oldest first: the candidate's and the current model's holdout scores, the data, any degradation.");
        eventOptions.AddTo(command);
        command.Add(store);
        command.Add(json);
        command.SetAction((parseResult, cancellationToken) => PaCommandLine.Guard(error, async () =>
        {
            var config = eventOptions.Load(parseResult);
            var registry = new RankingModelRegistry(services.OpenStore(parseResult.GetValue(store)), config.Event.Name);
            var history = await registry.HistoryAsync(cancellationToken);
            if (parseResult.GetValue(json))
                await output.WriteLineAsync(JsonSerializer.Serialize(history, PipelineJson.Options));
            else if (history.Count == 0)
                CliConsole.For(output).MarkupLine(
                    $"no retraining of {Markup.Escape(config.Event.Name)} recorded yet (pa train, or a run with retraining)");
            else
                WriteHistory(CliConsole.For(output), history);
            return PaCommandLine.ExitOk;
        }));
        return command;
    }

    /// <summary>
    /// One row per retraining: when, on what data (hash and holdout visitors), the candidate's and the current model's holdout
    /// NDCG@10, the current model's at registration, the decision; then each degradation in full.
    /// </summary>
    private static void WriteHistory(IAnsiConsole console, IReadOnlyList<PromotionDecision> history)
    {
        if (history.Count == 0) return;
        static string Score(double? value) => value is { } v ? v.ToString("0.0000", CultureInfo.InvariantCulture) : "";
        var table = new Table { Title = new TableTitle("retraining history (holdout NDCG@10)") }
            .AddColumns("decided", "data", "holdout", "candidate", "current", "at registration", "decision");
        foreach (var d in history)
            table.AddRow(d.DecidedAt.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture),
                Markup.Escape(d.DataHash is { Length: >= 8 } hash ? hash[..8] : d.DataHash ?? ""),
                d.HoldoutVisitors?.ToString(CultureInfo.InvariantCulture) ?? "", Score(d.CandidateNdcgAt10), Score(d.CurrentNdcgAt10),
                Score(d.CurrentRegisteredNdcgAt10), (d.Promoted ? "promoted" : "kept") + (d.Degradation is null ? "" : ", [yellow]degraded[/]"));
        console.Write(table);
        foreach (var d in history.Where(d => d.Degradation is not null))
        {
            var decided = d.DecidedAt.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture);
            console.MarkupLine($"[yellow]{decided}:[/] {Markup.Escape(d.Degradation!)}");
        }
    }

    public sealed record ModelSummary(RankingModelInfo Info, PromotionDecision? Decision, bool Current);

    private static Command Promote(TextWriter output, TextWriter error, PaServices services)
    {
        var eventOptions = new EventConfigOptions();
        var store = StoreOptions.Store();
        var version = new Option<string>("--version") { Description = "The registered version step 4 should use", Required = true };
        var command = new Command("promote", "Make a registered version the current model (for example to roll back to an earlier one).");
        eventOptions.AddTo(command);
        command.Add(store);
        command.Add(version);
        command.SetAction((parseResult, cancellationToken) => PaCommandLine.Guard(error, async () =>
        {
            var config = eventOptions.Load(parseResult);
            var registry = new RankingModelRegistry(services.OpenStore(parseResult.GetValue(store)), config.Event.Name);
            await registry.PromoteAsync(parseResult.GetValue(version)!, DateTimeOffset.UtcNow, cancellationToken);
            await output.WriteLineAsync($"{config.Event.Name}: step 4 now uses model {parseResult.GetValue(version)}");
            return PaCommandLine.ExitOk;
        }));
        return command;
    }
}
