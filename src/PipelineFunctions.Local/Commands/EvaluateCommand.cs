using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using PipelineFunctions.Core;
using PipelineFunctions.Core.Artifacts;
using PipelineFunctions.Core.Events;
using PipelineFunctions.Core.Steps.Recommendations.Ranking;
using Spectre.Console;

namespace PipelineFunctions.Local.Commands;

/// <summary>
/// `pa evaluate`: the offline comparison of random, popularity, the reference heuristic and the learned ranker, with each
/// available embedder (local; minilm; azure_openai when configured) on the same holdout: step 1 runs once, the sessions are
/// embedded once per embedder, and the experiment runs once per embedder's dataset.
/// </summary>
internal static class EvaluateCommand
{
    public static Command Create(TextWriter output, TextWriter error, PaServices services)
    {
        var options = new RankingDataOptions(services);
        var embedders = new Option<string[]>("--embedders")
        {
            Description = "Embedders to compare, comma-separated (default: every one available: local, minilm, azure_openai when configured)",
            AllowMultipleArgumentsPerToken = true,
        };
        var command = new Command("evaluate",
            "Hold out a seeded share of last year's visitors, rank last year's sessions for them from what step 4 would know, "
            + "and rank the past secondary show's sessions for its visitors from the past main show alone (cross-show); "
            + "compare rankers by recall@10, NDCG@10 and coverage, with each available embedder on the same visitors.");
        options.AddTo(command);
        command.Add(embedders);
        command.SetAction((parseResult, cancellationToken) => PaCommandLine.Guard(error, async () =>
        {
            var config = options.Event.Load(parseResult);
            var generators = Generators(parseResult.GetValue(embedders), services);
            var configs = generators.Select(g => ForGenerator(config, g)).ToList();
            using var loggers = CliLogging.Create(parseResult.GetValue(options.Verbose));
            var datasets = await options.LoadPerGeneratorAsync(parseResult, configs, options.OpenStore(parseResult), loggers, cancellationToken);
            var results = configs.Zip(datasets, (c, data) => new EmbedderEvaluation(c.Embeddings.Generator, data.EmbeddingModel,
                RankingExperiment.Run(c, data, cancellationToken: cancellationToken).Report,
                CrossShowExperiment.Run(c, data, cancellationToken))).ToList();
            if (parseResult.GetValue(options.Json)) await output.WriteLineAsync(JsonSerializer.Serialize(results, PipelineJson.Options));
            else PrintComparison(output, results);
            return PaCommandLine.ExitOk;
        }));
        return command;
    }

    /// <summary>The embedders asked for (or every available one), each checked: unknown or unavailable ones are one clear error.</summary>
    internal static IReadOnlyList<string> Generators(string[]? requested, PaServices services)
    {
        var available = new List<string> { EmbeddingGenerators.Local };
        available.AddRange(services.EmbeddingGenerators.Select(g => g.Generator).Order(StringComparer.Ordinal));
        if (services.AzureOpenAI is not null) available.Add(EmbeddingGenerators.AzureOpenAI);
        if (requested is null || requested.Length == 0) return available;

        var names = requested.SelectMany(r => r.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            .Distinct(StringComparer.Ordinal).ToList();
        foreach (var name in names)
        {
            if (available.Contains(name)) continue;
            throw new PipelineInputException("--embedders", EmbeddingGenerators.All.Contains(name)
                ? $"{name} is not available here (available: {string.Join(", ", available)}; azure_openai needs AZURE_OPENAI_ENDPOINT and "
                  + "AZURE_OPENAI_DEPLOYMENT)"
                : $"unknown embedder '{name}' (available: {string.Join(", ", available)})");
        }
        return names.Count > 0 ? names : throw new PipelineInputException("--embedders", "name at least one embedder");
    }

    /// <summary>The event's config with step 3's generator set: everything else (seeds, holdout, thresholds per generator) as configured.</summary>
    private static EventConfig ForGenerator(EventConfig config, string generator)
    {
        if (config.Embeddings.Generator == generator) return config;
        var overrides = new Dictionary<string, string>(StringComparer.Ordinal) { ["embeddings.generator"] = generator };
        // minilm's vectors have the model's size; the other generators keep the configured dimensions.
        if (generator == EmbeddingGenerators.MiniLM)
            overrides["embeddings.dimensions"] = EmbeddingGenerators.MiniLMDimensions.ToString(CultureInfo.InvariantCulture);
        return EventConfigLoader.LoadFile(config.SourcePath, overrides);
    }

    public static void Print(TextWriter output, EvaluationReport report)
    {
        var console = CliConsole.For(output);
        PrintHoldout(console, report);
        var table = new Table().AddColumns("method", "recall@10", "NDCG@10", "coverage");
        foreach (var (name, m) in report.Methods.OrderBy(m => m.Value.NdcgAt10))
            table.AddRow(Markup.Escape(name), m.RecallAt10.ToString("0.0000"), m.NdcgAt10.ToString("0.0000"), m.Coverage.ToString("P1"));
        console.Write(table);
    }

    /// <summary>
    /// Method x embedder tables: the within-show holdout, then the cross-show evaluation, each overall and per kind of visitor.
    /// The visitors are the same for every embedder, so the rows compare directly.
    /// </summary>
    public static void PrintComparison(TextWriter output, IReadOnlyList<EmbedderEvaluation> results)
    {
        var console = CliConsole.For(output);
        PrintHoldout(console, results[0].Report);
        console.MarkupLine("embedders: " + Markup.Escape(string.Join(", ", results.Select(r => $"{r.Generator} ({r.Model})"))));
        console.Write(MethodTable(results.Select(r => (r.Generator, r.Report.Methods)).ToList()));
        if (results[0].Report.ByVisitorKind is { } kinds)
            console.Write(GroupTable("within-show holdout per kind of held-out visitor", kinds,
                results.Select(r => (r.Generator, r.Report.ByVisitorKind!)).ToList()));

        if (results[0].CrossShow is not { } cross)
        {
            console.MarkupLine("cross-show: no past secondary-show visitor attended one of its sessions, nothing to evaluate");
            return;
        }
        console.MarkupLine($"[bold]cross-show[/] (past main show -> past secondary show): {cross.Queries:N0} secondary-show visitors ranked "
                           + $"over its {cross.CandidateSessions:N0} sessions from {cross.KnowledgeVisitors:N0} main-show visitors "
                           + $"({cross.TrainingExamples:N0} training examples)");
        console.Write(MethodTable(results.Select(r => (r.Generator, r.CrossShow!.Methods)).ToList()));
        console.Write(GroupTable("cross-show per kind of visitor", cross.ByVisitorKind,
            results.Select(r => (r.Generator, r.CrossShow!.ByVisitorKind)).ToList()));
    }

    /// <summary>Methods in the order of their best NDCG@10, each with its embedders side by side.</summary>
    private static Table MethodTable(IReadOnlyList<(string Generator, IReadOnlyDictionary<string, RankingMetrics> Methods)> results)
    {
        var table = new Table().AddColumns("method", "embedder", "recall@10", "NDCG@10", "coverage");
        var methods = results.SelectMany(r => r.Methods).GroupBy(m => m.Key).OrderBy(g => g.Max(m => m.Value.NdcgAt10)).Select(g => g.Key);
        foreach (var method in methods)
            foreach (var (generator, metrics) in results)
                if (metrics.TryGetValue(method, out var m))
                    table.AddRow(Markup.Escape(method), Markup.Escape(generator), m.RecallAt10.ToString("0.0000"),
                        m.NdcgAt10.ToString("0.0000"), m.Coverage.ToString("P1"));
        return table;
    }

    /// <summary>One row per kind of visitor (with its count), method and embedder; methods in the overall table's order.</summary>
    private static Table GroupTable(string title, IReadOnlyDictionary<string, EvaluationGroup> first,
        IReadOnlyList<(string Generator, IReadOnlyDictionary<string, EvaluationGroup> Groups)> results)
    {
        var table = new Table { Title = new TableTitle(Markup.Escape(title)) }.AddColumns("visitors", "method", "embedder", "recall@10", "NDCG@10");
        foreach (var (kind, group) in first)
        {
            var methods = results.SelectMany(r => r.Groups.GetValueOrDefault(kind)?.Methods ?? new Dictionary<string, RankingMetrics>())
                .GroupBy(m => m.Key).OrderBy(g => g.Max(m => m.Value.NdcgAt10)).Select(g => g.Key);
            foreach (var method in methods)
                foreach (var (generator, groups) in results)
                    if (groups.TryGetValue(kind, out var g) && g.Methods.TryGetValue(method, out var m))
                        table.AddRow(Markup.Escape($"{kind} ({group.Visitors:N0})"), Markup.Escape(method), Markup.Escape(generator),
                            m.RecallAt10.ToString("0.0000"), m.NdcgAt10.ToString("0.0000"));
        }
        return table;
    }

    private static void PrintHoldout(IAnsiConsole console, EvaluationReport report) =>
        console.MarkupLine($"[bold]{Markup.Escape(report.Event)}[/]: {report.HoldoutVisitors:N0} held-out visitors "
                           + $"({report.HoldoutShare:P0}, seed {report.Seed}), {report.TrainingVisitors:N0} to learn from "
                           + $"({report.TrainingExamples:N0} examples), {report.CandidateSessions:N0} sessions ranked");
}
