using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using PipelineFunctions.Core;
using PipelineFunctions.Core.Artifacts;
using PipelineFunctions.Local.Benchmarks;
using PipelineFunctions.Local.Generation;
using Spectre.Console;

namespace PipelineFunctions.Local.Commands;

/// <summary>
/// `pa bench prepare`: the speed and memory benchmark of step 1 on a generated show (default 50,000 visitors).
/// The data is generated once into a cache folder; the step is then measured in a fresh child process so the
/// peak memory reported is the step's, not the generator's.
/// </summary>
public static class BenchCommand
{
    /// <summary>Step 1 targets on a 50k-visitor show, on a 2-core machine.</summary>
    public const double TargetSeconds = 15;
    public const long TargetPeakBytes = 1536L * 1024 * 1024;

    private const string MeasureOption = "--measure-in-process";
    private const string CompleteMarker = ".generated";
    private const string GeneratingMarker = ".generating";

    public static Command Create(TextWriter output, TextWriter error)
    {
        var command = new Command("bench", "Benchmarks with figures to compare against the targets.");
        command.Add(CreatePrepare(output, error));
        return command;
    }

    private static Command CreatePrepare(TextWriter output, TextWriter error)
    {
        var eventOptions = new EventConfigOptions();
        var visitors = new Option<int>("--visitors") { Description = "This year's visitors of the generated show", DefaultValueFactory = _ => 50_000 };
        var seed = new Option<int>("--seed") { Description = "Generator seed", DefaultValueFactory = _ => GenerationOptions.DefaultSeed };
        var data = new Option<string?>("--data") { Description = "Input folder to measure; generated there when empty (default: .pa/bench/<event>-<visitors>-<seed>)" };
        var runs = new Option<int>("--runs") { Description = "Measured runs (the first is cold)", DefaultValueFactory = _ => 3 };
        var json = new Option<bool>("--json") { Description = "Print the figures as JSON" };
        var measure = new Option<bool>(MeasureOption) { Hidden = true };

        var command = new Command("prepare", $"Time step 1 and measure its peak memory (targets: {TargetSeconds} s, {TargetPeakBytes / (1024 * 1024)} MB at 50,000 visitors).");
        eventOptions.AddTo(command);
        command.Add(visitors);
        command.Add(seed);
        command.Add(data);
        command.Add(runs);
        command.Add(json);
        command.Add(measure);
        command.SetAction((parseResult, cancellationToken) => PaCommandLine.Guard(error, async () =>
        {
            var config = eventOptions.Load(parseResult, defaultEvent: "vet_lva");
            var runCount = parseResult.GetValue(runs);
            if (runCount is < 1 or > 20) throw new PipelineInputException("--runs", "must be between 1 and 20");

            if (parseResult.GetValue(measure))
            {
                var measured = await PrepareBenchmark.MeasureAsync(config, parseResult.GetValue(data)!, runCount, cancellationToken);
                await output.WriteLineAsync(JsonSerializer.Serialize(measured, PipelineJson.Options));
                return PaCommandLine.ExitOk;
            }

            var folder = Path.GetFullPath(parseResult.GetValue(data)
                ?? Path.Combine(".pa", "bench", $"{config.Event.Name}-{parseResult.GetValue(visitors)}-{parseResult.GetValue(seed)}"));
            // A folder of real inputs is measured as it is; an empty or half-generated one is (re)generated first.
            var holdsInputs = Directory.Exists(folder) && Directory.EnumerateFiles(folder).Any();
            if (!File.Exists(Path.Combine(folder, CompleteMarker)) && (!holdsInputs || File.Exists(Path.Combine(folder, GeneratingMarker))))
            {
                Directory.CreateDirectory(folder);
                await File.WriteAllTextAsync(Path.Combine(folder, GeneratingMarker), "", cancellationToken);
                await error.WriteLineAsync($"generating {parseResult.GetValue(visitors):N0} visitors into {folder} ...");
                var watch = Stopwatch.StartNew();
                ShowDataGenerator.Generate(config, new GenerationOptions(parseResult.GetValue(visitors), parseResult.GetValue(seed)), folder, cancellationToken);
                File.Move(Path.Combine(folder, GeneratingMarker), Path.Combine(folder, CompleteMarker));
                await error.WriteLineAsync($"generated in {watch.Elapsed.TotalSeconds:F1} s");
            }

            var figures = await MeasureInChildProcessAsync(config.SourcePath, Path.GetFullPath(folder), runCount, error, cancellationToken);
            if (parseResult.GetValue(json))
                await output.WriteLineAsync(JsonSerializer.Serialize(figures, PipelineJson.Options));
            else
                Print(output, figures);
            return PaCommandLine.ExitOk;
        }));
        return command;
    }

    private static async Task<PrepareBenchmarkFigures> MeasureInChildProcessAsync(string configPath, string folder, int runs, TextWriter error, CancellationToken cancellationToken)
    {
        // The pa executable itself when that is what runs; otherwise (dotnet pa.dll, a test host) the pa assembly through dotnet.
        var runningPa = Path.GetFileNameWithoutExtension(Environment.ProcessPath) == "pa";
        var start = new ProcessStartInfo(runningPa ? Environment.ProcessPath! : Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet")
        {
            RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false,
        };
        if (!runningPa) start.ArgumentList.Add(typeof(BenchCommand).Assembly.Location);
        foreach (var argument in new[] { "bench", "prepare", "--config", configPath, "--data", folder, "--runs", runs.ToString(CultureInfo.InvariantCulture), MeasureOption })
            start.ArgumentList.Add(argument);

        using var child = Process.Start(start) ?? throw new InvalidOperationException("could not start the measuring process");
        var stdout = child.StandardOutput.ReadToEndAsync(cancellationToken);
        var stderr = child.StandardError.ReadToEndAsync(cancellationToken);
        await child.WaitForExitAsync(cancellationToken);
        if (child.ExitCode != 0)
        {
            await error.WriteAsync(await stderr);
            throw new PipelineInputException(folder, $"the measuring process failed with exit code {child.ExitCode}");
        }
        return JsonSerializer.Deserialize<PrepareBenchmarkFigures>(await stdout, PipelineJson.Options)!;
    }

    private static void Print(TextWriter output, PrepareBenchmarkFigures f)
    {
        var console = CliConsole.For(output);
        console.MarkupLine($"[bold]bench prepare[/] {Markup.Escape(f.Event)}: {f.VisitorsThisYear:N0} visitors this year, {f.RegistrationRows:N0} registration rows, " +
                           $"{f.DemographicRows:N0} demographic rows, {f.ScansRead:N0} scans, {f.InputBytes / (1024.0 * 1024):F0} MB of input, {f.ProcessorCount} cores");
        var table = new Table().AddColumns("run", "seconds", "allocated MB");
        foreach (var run in f.Runs)
            table.AddRow(run.Run.ToString(CultureInfo.InvariantCulture) + (run.Run == 1 ? " (cold)" : ""), run.Seconds.ToString("F2", CultureInfo.InvariantCulture),
                (run.AllocatedBytes / (1024.0 * 1024)).ToString("F0", CultureInfo.InvariantCulture));
        console.Write(table);
        var peakMb = f.PeakWorkingSetBytes / (1024.0 * 1024);
        var timeOk = f.Runs[0].Seconds <= TargetSeconds;
        var memoryOk = f.PeakWorkingSetBytes <= TargetPeakBytes;
        console.MarkupLine($"cold run {f.Runs[0].Seconds:F2} s (target {TargetSeconds} s): {(timeOk ? "[green]met[/]" : "[red]missed[/]")}; " +
                           $"best {f.BestSeconds:F2} s, median {f.MedianSeconds:F2} s");
        console.MarkupLine($"peak working set {peakMb:F0} MB (target {TargetPeakBytes / (1024 * 1024)} MB): {(memoryOk ? "[green]met[/]" : "[red]missed[/]")}");
    }
}
