using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using PipelineFunctions.Benchmarks;
using PipelineFunctions.Core;
using PipelineFunctions.Core.Artifacts;
using PipelineFunctions.Core.Events;
using PipelineFunctions.Embeddings.MiniLM;
using PipelineFunctions.ShowGenerator;
using Spectre.Console;

namespace PipelineFunctions.Local.Commands;

/// <summary>
/// `pa bench prepare|graph|embed|recommend|train|run|scale`: speed and memory benchmarks of the steps on a generated
/// show (default 50,000 visitors). The data is generated once into a cache folder; each benchmark then runs in a fresh
/// child process so the peak memory reported is the step's own, not the generator's or another benchmark's. The
/// measurements are PipelineFunctions.Benchmarks'; this command parses, starts the child processes and prints.
/// `pa bench activities` and `pa bench load` are commands of their own (BenchActivitiesCommand, BenchLoadCommand).
/// </summary>
internal static class BenchCommand
{
    private const string MeasureOption = "--measure-in-process";

    private const string GeneratorOption = "--generator";

    /// <summary>One benchmark: its name, description and the measurement it runs in the child process.</summary>
    /// <param name="ChoosesGenerator">It takes --generator: step 3's embeddings.generator for the measurement.</param>
    private sealed record Benchmark(
        string Name, string Description, Func<EventConfig, string, int, CancellationToken, Task<BenchmarkFigures>> Measure,
        bool ChoosesGenerator = false);

    private static readonly Benchmark[] Benchmarks =
    [
        new("prepare", "Time step 1 and measure its peak memory (targets: "
            + $"{PrepareBenchmark.TargetSeconds} s, {PrepareBenchmark.TargetPeakBytes >> 20} MB at 50,000 visitors).",
            PrepareBenchmark.MeasureAsync),
        new("graph", "Time step 2 into an empty embedded graph, again in full mode and incrementally (target: "
            + $"{GraphBenchmark.TargetSeconds} s at 50,000 visitors).",
            (config, folder, _, ct) => GraphBenchmark.MeasureAsync(config, folder, ct)),
        new("embed", "Time step 3: embed every session (the local embedder fits its model first), a re-run with nothing changed, "
            + $"a refit (local; targets at 50,000 visitors: local {EmbedBenchmark.TargetSeconds} s, minilm {EmbedBenchmark.MiniLMTargetSeconds} s).",
            (config, folder, _, ct) => EmbedBenchmark.MeasureAsync(config, folder, ct, [new MiniLMEmbeddingGeneratorFactory()]),
            ChoosesGenerator: true),
        new("recommend", "Time step 4 with the heuristic, then with a trained ranker for every visitor, again, and incrementally; "
            + "compare with a naive per-visitor loop (target: "
            + $"{RecommendBenchmark.TargetSeconds} s, {RecommendBenchmark.TargetPeakBytes >> 20} MB at 50,000 visitors).",
            (config, folder, _, ct) => RecommendBenchmark.MeasureAsync(config, folder, ct)),
        new("run", "Time the whole pipeline through the embedded runner (pa run), then the same request again with every step reused; "
            + "orchestration overhead per activity (targets: "
            + $"{RunBenchmark.TargetSeconds} s, {RunBenchmark.TargetPeakBytes >> 20} MB at 50,000 visitors; 5 ms per activity).",
            (config, folder, _, ct) => RunBenchmark.MeasureAsync(config, folder, PaCommandLine.FindConfigRoot(), ct)),
        new("train", "Time retraining the ranker: features, training, holdout evaluation, registry (target: "
            + $"{TrainBenchmark.TargetSeconds} s at 50,000 visitors).",
            (config, folder, _, ct) => TrainBenchmark.MeasureAsync(config, folder, ct)),
    ];

    public static Command Create(TextWriter output, TextWriter error)
    {
        var command = new Command("bench", "Benchmarks with figures to compare against the targets.");
        foreach (var benchmark in Benchmarks) command.Add(CreateBenchmark(benchmark, output, error));
        command.Add(CreateScale(output, error));
        foreach (var activities in BenchActivitiesCommand.Create(output, error)) command.Add(activities);
        command.Add(BenchLoadCommand.Create(output, error));
        return command;
    }

    /// <summary>
    /// `pa bench scale`: `bench run` (one measured run of all four steps) on generated shows of growing size, each in
    /// its own process, and a table of time and memory per visitor: does the cost per visitor stay flat?
    /// </summary>
    private static Command CreateScale(TextWriter output, TextWriter error)
    {
        var eventOptions = new EventConfigOptions();
        var sizes = new Option<int[]>("--visitors")
        {
            Description = "Show sizes (this year's visitors)", AllowMultipleArgumentsPerToken = true,
            DefaultValueFactory = _ => [10_000, 50_000, 100_000, 200_000],
        };
        var seed = new Option<int>("--seed") { Description = "Generator seed", DefaultValueFactory = _ => GenerationOptions.DefaultSeed };
        var json = new Option<bool>("--json") { Description = "Print the figures as JSON" };
        var command = new Command("scale",
            "Run the whole pipeline (bench run) on shows of 10k to 200k visitors and report time and peak memory per visitor.");
        eventOptions.AddTo(command);
        command.Add(sizes);
        command.Add(seed);
        command.Add(json);
        command.SetAction((parseResult, cancellationToken) => PaCommandLine.Guard(error, async () =>
        {
            var config = eventOptions.Load(parseResult, defaultEvent: "vet_lva");
            var figures = new List<(int Visitors, BenchmarkFigures Figures)>();
            foreach (var visitors in parseResult.GetValue(sizes)!.Order())
            {
                var folder = Path.GetFullPath(BenchmarkShow.DefaultFolder(config.Event.Name, visitors, parseResult.GetValue(seed)));
                await BenchmarkShow.EnsureGeneratedAsync(config, folder, new GenerationOptions(visitors, parseResult.GetValue(seed)), error,
                    cancellationToken);
                await error.WriteLineAsync($"measuring {visitors:N0} visitors ...");
                figures.Add((visitors, await MeasureInChildProcessAsync("run", config.SourcePath, folder, 1, error, cancellationToken)));
            }
            if (parseResult.GetValue(json))
            {
                var rows = figures.Select(f => new { f.Visitors, f.Figures });
                await output.WriteLineAsync(JsonSerializer.Serialize(rows, PipelineJson.Options));
                return PaCommandLine.ExitOk;
            }
            var table = new Table().AddColumns("visitors", "seconds", "ms per 1,000 visitors", "peak MB", "KB per visitor");
            foreach (var (visitors, f) in figures)
                table.AddRow(visitors.ToString("N0"), f.Targeted.Seconds.ToString("F1", CultureInfo.InvariantCulture),
                    (f.Targeted.Seconds * 1_000_000 / visitors).ToString("F0", CultureInfo.InvariantCulture),
                    (f.PeakWorkingSetBytes >> 20).ToString("N0"),
                    (f.PeakWorkingSetBytes / 1024.0 / visitors).ToString("F1", CultureInfo.InvariantCulture));
            CliConsole.For(output).Write(table);
            return PaCommandLine.ExitOk;
        }));
        return command;
    }

    private static Command CreateBenchmark(Benchmark benchmark, TextWriter output, TextWriter error)
    {
        var eventOptions = new EventConfigOptions();
        var show = new BenchShowOptions();
        var runs = new Option<int>("--runs")
        {
            Description = "Measured runs where the benchmark repeats (the first is cold)", DefaultValueFactory = _ => 3,
        };
        var json = new Option<bool>("--json") { Description = "Print the figures as JSON" };
        var measure = new Option<bool>(MeasureOption) { Hidden = true };
        var generator = new Option<string?>(GeneratorOption)
        {
            Description = $"Step 3's embeddings.generator to measure ({string.Join(", ", EmbeddingGenerators.All)}; default: the config's)",
        };

        var command = new Command(benchmark.Name, benchmark.Description);
        eventOptions.AddTo(command);
        show.AddTo(command);
        foreach (var option in new Option[] { runs, json, measure }) command.Add(option);
        if (benchmark.ChoosesGenerator) command.Add(generator);
        command.SetAction((parseResult, cancellationToken) => PaCommandLine.Guard(error, async () =>
        {
            var chosen = benchmark.ChoosesGenerator ? parseResult.GetValue(generator) : null;
            var config = eventOptions.Load(parseResult, defaultEvent: "vet_lva", chosen is null ? null : GeneratorOverrides(chosen));
            var runCount = parseResult.GetValue(runs);
            if (runCount is < 1 or > 20) throw new PipelineInputException("--runs", "must be between 1 and 20");

            if (parseResult.GetValue(measure))
            {
                var measured = await benchmark.Measure(config, parseResult.GetValue(show.Data)!, runCount, cancellationToken);
                await output.WriteLineAsync(JsonSerializer.Serialize(measured, PipelineJson.Options));
                return PaCommandLine.ExitOk;
            }

            var folder = await show.EnsureShowAsync(parseResult, config, error, cancellationToken);

            var figures = await MeasureInChildProcessAsync(benchmark.Name, config.SourcePath, folder, runCount, error, cancellationToken,
                chosen is null ? [] : [GeneratorOption, chosen]);
            if (parseResult.GetValue(json))
                await output.WriteLineAsync(JsonSerializer.Serialize(figures, PipelineJson.Options));
            else
                Print(output, figures);
            return PaCommandLine.ExitOk;
        }));
        return command;
    }

    /// <summary>embeddings.generator set to <paramref name="generator"/>; minilm's dimensions are the model's.</summary>
    private static Dictionary<string, string> GeneratorOverrides(string generator)
    {
        var overrides = new Dictionary<string, string>(StringComparer.Ordinal) { ["embeddings.generator"] = generator };
        if (generator == EmbeddingGenerators.MiniLM)
            overrides["embeddings.dimensions"] = EmbeddingGenerators.MiniLMDimensions.ToString(CultureInfo.InvariantCulture);
        return overrides;
    }

    private static async Task<BenchmarkFigures> MeasureInChildProcessAsync(
        string benchmark, string configPath, string folder, int runs, TextWriter error, CancellationToken cancellationToken,
        string[]? extraArguments = null)
    {
        string[] arguments =
        [
            "bench", benchmark, "--config", configPath, "--data", folder, "--runs", runs.ToString(CultureInfo.InvariantCulture), MeasureOption,
            .. extraArguments ?? [],
        ];
        var child = await PaChildProcess.RunAsync(arguments, cancellationToken);
        if (child.ExitCode != 0)
        {
            await error.WriteAsync(child.Error);
            throw new PipelineInputException(folder, $"the measuring process failed with exit code {child.ExitCode}");
        }
        return JsonSerializer.Deserialize<BenchmarkFigures>(child.Output, PipelineJson.Options)!;
    }

    private static void Print(TextWriter output, BenchmarkFigures f)
    {
        var console = CliConsole.For(output);
        var facts = string.Join(", ", f.Facts.Select(fact => $"{fact.Value:N0} {fact.Key}"));
        console.MarkupLine($"[bold]bench {f.Benchmark}[/] {Markup.Escape(f.Event)} on {f.ProcessorCount} cores: {Markup.Escape(facts)}");
        var table = new Table().AddColumns("run", "seconds", "allocated MB");
        foreach (var run in f.Runs)
            table.AddRow(Markup.Escape(run.Label), run.Seconds.ToString("F2", CultureInfo.InvariantCulture),
                (run.AllocatedBytes / (1024.0 * 1024)).ToString("F0", CultureInfo.InvariantCulture));
        console.Write(table);
        var targeted = Markup.Escape(f.Targeted.Label);
        console.MarkupLine($"run {targeted}: {f.Targeted.Seconds:F2} s (target {f.TargetSeconds} s): {Verdict(f.TimeTargetMet)}");
        console.MarkupLine($"peak working set {f.PeakWorkingSetBytes >> 20} MB (target {f.TargetPeakBytes >> 20} MB): {Verdict(f.MemoryTargetMet)}");
    }

    private static string Verdict(bool met) => met ? "[green]met[/]" : "[red]missed[/]";
}
