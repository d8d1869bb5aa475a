using System.CommandLine;
using System.Text.Json;
using PipelineFunctions.Core;
using PipelineFunctions.Core.Artifacts;
using PipelineFunctions.Core.Orchestration;
using PipelineFunctions.LocalEngine.Management;
using PipelineFunctions.LocalEngine.Orchestration;
using PipelineFunctions.LocalEngine.Runs;
using Spectre.Console;

namespace PipelineFunctions.Local.Commands;

/// <summary>`pa runs` (list), `pa runs terminate|purge`, and `pa status` (one instance in Durable's status shape).</summary>
internal static class RunsCommand
{
    public static Command Create(TextWriter output, TextWriter error, PaServices services)
    {
        var host = new HostOptions(services);
        var status = new Option<string[]>("--status")
        {
            Description = $"Only instances with these runtime statuses ({string.Join(", ", RuntimeStatuses.All)})",
        };
        var eventName = new Option<string?>("--event") { Description = "Only this event's runs" };
        var top = new Option<int>("--top") { Description = "At most this many, newest first", DefaultValueFactory = _ => 50 };
        var json = new Option<bool>("--json") { Description = "Print Durable-shaped status objects as JSON" };
        var command = new Command("runs", "List the local host's runs, newest first.");
        foreach (var option in new Option[] { status, eventName, top, json }) command.Add(option);
        host.AddTo(command);
        command.SetAction((parseResult, cancellationToken) => PaCommandLine.Guard(error, async () =>
        {
            var statuses = parseResult.GetValue(status);
            foreach (var s in statuses ?? [])
                if (!RuntimeStatuses.All.Contains(s))
                    throw new PipelineInputException("--status", $"'{s}' is not a runtime status ({string.Join(", ", RuntimeStatuses.All)})");
            await using var local = host.Create(parseResult);
            var query = new RunQuery(statuses is { Length: > 0 } ? statuses : null, Top: parseResult.GetValue(top),
                Event: parseResult.GetValue(eventName));
            var runs = await local.RunStore.ListAsync(query, cancellationToken);
            if (parseResult.GetValue(json))
            {
                await output.WriteLineAsync(JsonSerializer.Serialize(runs.Select(DurableStatus.From), PipelineJson.Options));
                return PaCommandLine.ExitOk;
            }
            var table = new Table().AddColumns("instance", "event", "status", "created", "updated", "current step");
            foreach (var run in runs)
            {
                var progress = run.CustomStatusJson is null
                    ? null
                    : JsonSerializer.Deserialize<RunProgress>(run.CustomStatusJson, PipelineJson.Options);
                table.AddRow(Markup.Escape(run.InstanceId), Markup.Escape(run.Event ?? ""), Markup.Escape(run.RuntimeStatus),
                    run.CreatedTime.ToString("u"), run.LastUpdatedTime.ToString("u"),
                    Markup.Escape(progress is null ? "" : $"{progress.CurrentStep ?? "-"} ({progress.StepsDone}/{progress.StepsTotal})"));
            }
            CliConsole.For(output).Write(table);
            return PaCommandLine.ExitOk;
        }));
        command.Add(Manage("terminate", "Stop a pending or running instance.", output, error, services,
            async (runner, id, ct) => await runner.TerminateAsync(id, "terminated with pa runs terminate", ct)
                ? $"{id}: terminated"
                : throw new PipelineInputException("instance", $"'{id}' is not pending or running")));
        command.Add(Manage("purge", "Delete a finished instance and its history from the run store (its artifacts stay).", output, error, services,
            async (runner, id, ct) => await runner.PurgeAsync(id, ct)
                ? $"{id}: purged"
                : throw new PipelineInputException("instance", $"no instance with id '{id}'")));
        return command;
    }

    private static Command Manage(string name, string description, TextWriter output, TextWriter error, PaServices services,
        Func<EmbeddedOrchestrationRunner, string, CancellationToken, Task<string>> act)
    {
        var host = new HostOptions(services);
        var id = new Argument<string>("instance-id");
        var command = new Command(name, description);
        command.Add(id);
        host.AddTo(command);
        command.SetAction((parseResult, cancellationToken) => PaCommandLine.Guard(error, async () =>
        {
            await using var local = host.Create(parseResult);
            await output.WriteLineAsync(await act(local.Runner, parseResult.GetValue(id)!, cancellationToken));
            return PaCommandLine.ExitOk;
        }));
        return command;
    }

    public static Command CreateStatus(TextWriter output, TextWriter error, PaServices services)
    {
        var host = new HostOptions(services);
        var id = new Argument<string>("instance-id");
        var json = new Option<bool>("--json") { Description = "Print the Durable-shaped status as JSON" };
        var command = new Command("status", "Show one run: its runtime status, progress and, when finished, its summary.");
        command.Add(id);
        command.Add(json);
        host.AddTo(command);
        command.SetAction((parseResult, cancellationToken) => PaCommandLine.Guard(error, async () =>
        {
            await using var local = host.Create(parseResult);
            var instanceId = parseResult.GetValue(id)!;
            var instance = await local.RunStore.GetAsync(instanceId, cancellationToken)
                ?? throw new PipelineInputException("instance", $"no instance with id '{instanceId}'");
            if (parseResult.GetValue(json))
            {
                await output.WriteLineAsync(JsonSerializer.Serialize(DurableStatus.From(instance), PipelineJson.Options));
                return PaCommandLine.ExitOk;
            }
            var console = CliConsole.For(output);
            if (await local.SummaryAsync(instance, cancellationToken) is { } summary) RunCommand.PrintSummary(console, instance, summary);
            else
            {
                var progress = instance.CustomStatusJson is null
                    ? null
                    : JsonSerializer.Deserialize<RunProgress>(instance.CustomStatusJson, PipelineJson.Options);
                var steps = progress is null
                    ? ""
                    : $", {progress.StepsDone}/{progress.StepsTotal} steps, current {Markup.Escape(progress.CurrentStep ?? "-")}";
                console.MarkupLine($"{Markup.Escape(instance.InstanceId)}: [bold]{Markup.Escape(instance.RuntimeStatus)}[/]{steps}");
                foreach (var (step, state) in progress?.Steps ?? new Dictionary<string, StepProgress>())
                    console.MarkupLine($"  {Markup.Escape(step),-18} {Markup.Escape(state.Status)}");
            }
            return PaCommandLine.ExitOk;
        }));
        return command;
    }
}
