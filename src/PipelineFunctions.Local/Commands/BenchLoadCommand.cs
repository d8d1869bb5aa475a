using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using PipelineFunctions.Core;
using PipelineFunctions.Core.Artifacts;
using Spectre.Console;

namespace PipelineFunctions.Local.Commands;

/// <summary>
/// `pa bench load`: how `pa serve` holds up under many pollers while a run executes (<see cref="LoadBenchmark"/>), with
/// requests per second, latency percentiles, errors and the run's slowdown against the targets.
/// </summary>
internal static class BenchLoadCommand
{
    public static Command Create(TextWriter output, TextWriter error)
    {
        var eventOptions = new EventConfigOptions();
        var show = new BenchShowOptions();
        var clients = new Option<int>("--clients")
        {
            Description = "Concurrent HTTP clients, each polling the run's status and the instance list", DefaultValueFactory = _ => 200,
        };
        var seconds = new Option<int>("--seconds")
        {
            Description = "Seconds of load at least; it goes on until the run under load has ended", DefaultValueFactory = _ => 60,
        };
        var interval = new Option<double>("--interval")
        {
            Description = "Seconds each client waits between two polls (status + list). Default 1: twice as often as the dashboard "
                + "(2 s) and Durable's Retry-After (2 s), the rate of an impatient script, so the figures err on the safe side",
            DefaultValueFactory = _ => 1,
        };
        var json = new Option<bool>("--json") { Description = "Print the figures as JSON" };
        var command = new Command("load",
            "Serve the API in this process (as pa serve, on loopback), time a run of the show without load, then time it again while "
            + "--clients clients poll its status and the instance list (targets: no errors, p99 under "
            + $"{LoadBenchmarkFigures.TargetP99Milliseconds} ms, the run under {LoadBenchmarkFigures.TargetSlowdownPercent} % slower).");
        eventOptions.AddTo(command);
        show.AddTo(command);
        foreach (var option in new Option[] { clients, seconds, interval, json }) command.Add(option);
        command.SetAction((parseResult, cancellationToken) => PaCommandLine.Guard(error, async () =>
        {
            var clientCount = parseResult.GetValue(clients);
            if (clientCount is < 1 or > 10_000) throw new PipelineInputException("--clients", "must be between 1 and 10000");
            var duration = parseResult.GetValue(seconds);
            if (duration is < 1 or > 3600) throw new PipelineInputException("--seconds", "must be between 1 and 3600");
            var pause = parseResult.GetValue(interval);
            if (!(pause is >= 0 and <= 60)) throw new PipelineInputException("--interval", "must be between 0 and 60 seconds");
            var config = eventOptions.Load(parseResult, defaultEvent: "vet_lva");
            var folder = await show.EnsureShowAsync(parseResult, config, error, cancellationToken);

            var figures = await LoadBenchmark.MeasureAsync(config, folder, PaCommandLine.FindConfigRoot(),
                new LoadBenchmark.Settings(clientCount, TimeSpan.FromSeconds(duration), TimeSpan.FromSeconds(pause)), error, cancellationToken);
            if (parseResult.GetValue(json))
                await output.WriteLineAsync(JsonSerializer.Serialize(figures, PipelineJson.Options));
            else
                Print(output, figures);
            return PaCommandLine.ExitOk;
        }));
        return command;
    }

    private static void Print(TextWriter output, LoadBenchmarkFigures f)
    {
        var console = CliConsole.For(output);
        console.MarkupLine($"[bold]bench load[/] {Markup.Escape(f.Event)} on {f.ProcessorCount} cores: {f.Clients} clients, each "
            + $"GET status + GET list every {Number(f.IntervalSeconds, "F1")} s, for {Number(f.LoadSeconds, "F1")} s while the run executed");
        var table = new Table().AddColumns("route", "requests", "errors", "p50 ms", "p99 ms", "max ms");
        foreach (var route in f.Routes.Append(f.All))
            table.AddRow(Markup.Escape(route.Route), route.Requests.ToString("N0", CultureInfo.InvariantCulture),
                route.Errors.ToString("N0", CultureInfo.InvariantCulture), Number(route.P50Milliseconds, "F1"),
                Number(route.P99Milliseconds, "F1"), Number(route.MaxMilliseconds, "F1"));
        console.Write(table);
        console.MarkupLine($"requests per second: {Number(f.RequestsPerSecond, "F0")}");
        foreach (var (kind, count) in f.ErrorKinds.OrderByDescending(e => e.Value))
            console.MarkupLine($"  {count:N0} x {Markup.Escape(kind)}");
        console.MarkupLine($"errors: {f.All.Errors:N0} (target none): {Verdict(f.ErrorTargetMet)}");
        console.MarkupLine($"p99 latency: {Number(f.All.P99Milliseconds, "F1")} ms "
            + $"(target under {LoadBenchmarkFigures.TargetP99Milliseconds} ms): {Verdict(f.LatencyTargetMet)}");
        console.MarkupLine($"run: {Number(f.RunSecondsWithoutLoad, "F2")} s without load, {Number(f.RunSecondsWithLoad, "F2")} s with it, "
            + $"slowdown {Number(f.SlowdownPercent, "F1")} % (target under {LoadBenchmarkFigures.TargetSlowdownPercent} %): "
            + Verdict(f.SlowdownTargetMet));
    }

    private static string Number(double value, string format) => value.ToString(format, CultureInfo.InvariantCulture);

    private static string Verdict(bool met) => met ? "[green]met[/]" : "[red]missed[/]";
}
