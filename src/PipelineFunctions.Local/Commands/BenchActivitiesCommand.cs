using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using PipelineFunctions.Benchmarks;
using PipelineFunctions.Core;
using PipelineFunctions.Core.Artifacts;
using Spectre.Console;

namespace PipelineFunctions.Local.Commands;

/// <summary>
/// `pa bench activities`: the whole pipeline with each activity in a fresh `pa` process, printing every activity's time,
/// peak working set and message sizes; `pa bench activity` (hidden) is that process.
/// </summary>
internal static class BenchActivitiesCommand
{
    public static IEnumerable<Command> Create(TextWriter output, TextWriter error) =>
        [CreateActivities(output, error), CreateActivity(output, error)];

    private static Command CreateActivities(TextWriter output, TextWriter error)
    {
        var eventOptions = new EventConfigOptions();
        var show = new BenchShowOptions();
        var json = new Option<bool>("--json") { Description = "Print the figures as JSON" };
        var command = new Command("activities",
            $"Run the whole pipeline with each activity in a fresh process, as a Functions instance would, and print each activity's "
            + $"time and peak memory (target: every activity under {ActivityBenchmark.TargetPeakBytes >> 20} MB).");
        eventOptions.AddTo(command);
        show.AddTo(command);
        command.Add(json);
        command.SetAction((parseResult, cancellationToken) => PaCommandLine.Guard(error, async () =>
        {
            var config = eventOptions.Load(parseResult, defaultEvent: "vet_lva");
            var folder = await show.EnsureShowAsync(parseResult, config, error, cancellationToken);

            var figures = await ActivityBenchmark.MeasureAsync(config, folder, PaCommandLine.FindConfigRoot(),
                (call, ct) => RunInChildProcessAsync(call, error, ct), cancellationToken);
            if (parseResult.GetValue(json))
                await output.WriteLineAsync(JsonSerializer.Serialize(figures, PipelineJson.Options));
            else
                Print(output, figures);
            return PaCommandLine.ExitOk;
        }));
        return command;
    }

    private static Command CreateActivity(TextWriter output, TextWriter error)
    {
        var call = new Option<string>("--call") { Required = true, Description = "The activity call, as JSON" };
        var command = new Command("activity", "Run one activity of `pa bench activities` in this process.") { Hidden = true };
        command.Add(call);
        command.SetAction((parseResult, cancellationToken) => PaCommandLine.Guard(error, async () =>
        {
            var activity = JsonSerializer.Deserialize<ActivityCall>(parseResult.GetValue(call)!, PipelineJson.Options)!;
            var figures = await ActivityBenchmark.RunActivityAsync(activity, cancellationToken);
            await output.WriteLineAsync(JsonSerializer.Serialize(figures, PipelineJson.Options));
            return PaCommandLine.ExitOk;
        }));
        return command;
    }

    private static async Task<ActivityFigures> RunInChildProcessAsync(ActivityCall call, TextWriter error, CancellationToken cancellationToken)
    {
        await error.WriteLineAsync($"activity {call.Activity} ...");
        var child = await PaChildProcess.RunAsync(
            ["bench", "activity", "--call", JsonSerializer.Serialize(call, PipelineJson.Options)], cancellationToken);
        if (child.ExitCode != 0)
        {
            await error.WriteAsync(child.Error);
            throw new PipelineInputException(call.InputFile, $"activity {call.Activity} failed in its process with exit code {child.ExitCode}");
        }
        return JsonSerializer.Deserialize<ActivityFigures>(child.Output, PipelineJson.Options)!;
    }

    private static void Print(TextWriter output, ActivityBenchmarkFigures f)
    {
        var console = CliConsole.For(output);
        console.MarkupLine($"[bold]bench activities[/] {Markup.Escape(f.Event)} on {f.ProcessorCount} cores, each activity in a fresh process "
            + "(a fan-out's parts run side by side, one per core):");
        var table = new Table().AddColumns("activity", "step", "calls", "seconds (slowest)", "seconds (sum)", "peak MB", "input KB",
            "output KB");
        foreach (var a in f.ByActivity)
            table.AddRow(Markup.Escape(a.Activity), Markup.Escape(a.Step ?? ""), a.Calls.ToString(CultureInfo.InvariantCulture),
                a.MaxSeconds.ToString("F2", CultureInfo.InvariantCulture), a.TotalSeconds.ToString("F2", CultureInfo.InvariantCulture),
                (a.PeakWorkingSetBytes >> 20).ToString("N0", CultureInfo.InvariantCulture),
                (a.MaxInputBytes / 1024.0).ToString("F1", CultureInfo.InvariantCulture),
                (a.MaxOutputBytes / 1024.0).ToString("F1", CultureInfo.InvariantCulture));
        console.Write(table);
        var verdict = f.MemoryTargetMet ? "[green]met[/]" : "[red]missed[/]";
        console.MarkupLine($"whole run: {f.RunSeconds:F2} s; largest activity peak {f.LargestPeakBytes >> 20} MB "
            + $"(target {f.TargetPeakBytes >> 20} MB): {verdict}");
    }
}
