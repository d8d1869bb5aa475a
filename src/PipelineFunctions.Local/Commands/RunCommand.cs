using System.CommandLine;
using PipelineFunctions.Core;
using PipelineFunctions.Core.Orchestration;
using PipelineFunctions.Core.Orchestration.Submissions;
using PipelineFunctions.LocalEngine;
using PipelineFunctions.LocalEngine.Orchestration;
using PipelineFunctions.LocalEngine.Runs;
using Spectre.Console;

namespace PipelineFunctions.Local.Commands;

/// <summary>
/// `pa run`: the whole pipeline as one orchestration instance in the local run store, with progress as it goes and a
/// summary at the end. `pa resume` continues an instance that stopped, crashed or failed.
/// </summary>
internal static class RunCommand
{
    public const string Name = "run", ResumeName = "resume";

    public static Command Create(TextWriter output, TextWriter error, PaServices services)
    {
        var host = new HostOptions(services);
        var eventName = new Option<string>("--event") { Description = "Event name: loads config/events/<name>.yaml", Required = true };
        var input = new Option<string>("--input")
        {
            Description = "Folder (or file:// / blob location) holding the event's input files", Required = true,
        };
        var incremental = new Option<bool>("--incremental")
        {
            Description = "Add only new nodes and recommend only for visitors without recommendations",
        };
        var steps = new Option<string[]>("--steps")
        {
            Description = $"Steps to run ({string.Join(", ", PipelineSteps.All)}); the others reuse the newest earlier outputs",
            AllowMultipleArgumentsPerToken = true,
        };
        var force = new Option<bool>("--force") { Description = "Run every requested step even when an earlier run's outputs could be reused" };
        var environment = new Option<string?>("--environment") { Description = "Graph environment: dev, test or prod (default: the config's)" };
        var set = new Option<string[]>("--set") { Description = "Config override KEY=VALUE (e.g. recommendation.max_recommendations=8); repeatable" };
        var retrain = new Option<bool>("--retrain") { Description = "After the run, retrain the ranker and promote it if better" };
        var analyse = new Option<bool>("--analyse")
        {
            Description = "After recommendations, analyse the show's outcome from this year's scans in the input (treatment against control)",
        };
        var instanceId = new Option<string?>("--instance-id") { Description = "Instance (and run) id (default: a new time-stamped id)" };
        var json = new Option<bool>("--json") { Description = "Print the run summary as JSON" };

        var command = new Command(Name, "Run the pipeline (steps 1 to 4) as one orchestration: progress as it goes, a summary at the end.");
        foreach (var option in new Option[] { eventName, input, incremental, steps, force, environment, set, retrain, analyse, instanceId, json })
            command.Add(option);
        host.AddTo(command);
        command.SetAction((parseResult, cancellationToken) => PaCommandLine.Guard(error, async () =>
        {
            var request = new PipelineRunRequest(parseResult.GetValue(eventName)!, parseResult.GetValue(input)!, parseResult.GetValue(incremental),
                parseResult.GetValue(steps)?
                    .SelectMany(s => s.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)).ToList(),
                parseResult.GetValue(environment), parseResult.GetValue(force), Overrides(parseResult.GetValue(set)), parseResult.GetValue(retrain),
                parseResult.GetValue(analyse));
            await using var local = host.Create(parseResult);
            RunRequestValidation.Validate(request, local.Services.LoadConfig);
            var id = parseResult.GetValue(instanceId) ?? RunIds.New(TimeProvider.System);
            try
            {
                await local.Runner.CreateAsync(request, id, cancellationToken);
            }
            catch (InstanceExistsException e)
            {
                throw new PipelineInputException("--instance-id", $"{e.Message}: use pa resume {id}, or another id");
            }
            return await ExecuteAsync(local, id, resume: false, parseResult.GetValue(json), output, error, cancellationToken);
        }));
        return command;
    }

    public static Command CreateResume(TextWriter output, TextWriter error, PaServices services)
    {
        var host = new HostOptions(services);
        var id = new Argument<string>("instance-id") { Description = "The instance to continue" };
        var json = new Option<bool>("--json") { Description = "Print the run summary as JSON" };
        var command = new Command(ResumeName,
            "Continue a run that stopped, crashed or failed: completed activities are replayed from the run store, the rest run.");
        command.Add(id);
        command.Add(json);
        host.AddTo(command);
        command.SetAction((parseResult, cancellationToken) => PaCommandLine.Guard(error, async () =>
        {
            await using var local = host.Create(parseResult);
            return await ExecuteAsync(local, parseResult.GetValue(id)!, resume: true, parseResult.GetValue(json), output, error, cancellationToken);
        }));
        return command;
    }

    private static async Task<int> ExecuteAsync(
        LocalHost local, string id, bool resume, bool json, TextWriter output, TextWriter error, CancellationToken cancellationToken)
    {
        var console = CliConsole.For(output);
        var shown = new Dictionary<string, string>(StringComparer.Ordinal);
        if (!json)
        {
            console.MarkupLine($"run [bold]{Markup.Escape(id)}[/]{(resume ? " (resumed)" : "")}");
            local.Runner.Progress += (_, status) =>
            {
                if (status is not RunProgress progress) return;
                foreach (var (step, state) in progress.Steps)
                {
                    // A step with many parts shows them at each quarter done, not at every part; one with few, when it ends.
                    var parts = state.Parts is { Total: >= 8 } p && state.Status == StepStatuses.Running ? $" {p.Done * 4 / p.Total}" : "";
                    var line = state.Status + parts;
                    if (state.Status == StepStatuses.Pending || shown.GetValueOrDefault(step) == line) continue;
                    shown[step] = line;
                    var attempt = state.Attempts > 1 ? $" (attempt {state.Attempts})" : "";
                    var fanOut = state.Parts is { } of ? $", {of}" : "";
                    var done = $"{progress.StepsDone}/{progress.StepsTotal}";
                    console.MarkupLine($"  {Markup.Escape(step),-18} {Markup.Escape(state.Status)}{attempt}{Markup.Escape(fanOut)}  [grey]{done}[/]");
                }
            };
        }
        await WarnOfInterruptedRunsAsync(local, id, error, cancellationToken);
        RunInstance instance;
        try
        {
            instance = resume ? await local.Runner.ResumeAsync(id, cancellationToken) : await local.Runner.RunAsync(id, cancellationToken);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Stopped before it started executing (waiting for the lease, say): nothing ran.
            return await InterruptedAsync(local, id, error);
        }
        // Ctrl-C or SIGTERM: the activity in flight was cancelled (not recorded), the lease released; the run is resumable.
        if (cancellationToken.IsCancellationRequested && !RuntimeStatuses.IsFinal(instance.RuntimeStatus))
            return await InterruptedAsync(local, id, error);
        var summary = await local.SummaryAsync(instance, cancellationToken);
        if (json) await output.WriteLineAsync(await local.SummaryJsonAsync(instance, cancellationToken) ?? instance.OutputJson ?? "null");
        else if (summary is not null) PrintSummary(console, instance, summary);
        else console.MarkupLine($"{Markup.Escape(id)}: {Markup.Escape(instance.RuntimeStatus)} {Markup.Escape(instance.OutputJson ?? "")}");

        if (instance.RuntimeStatus == RuntimeStatuses.Completed) return PaCommandLine.ExitOk;
        var failed = summary?.Steps.LastOrDefault(s => s.Status == StepStatuses.Failed);
        await error.WriteLineAsync($"error: run {id} {instance.RuntimeStatus.ToLowerInvariant()}: {summary?.Error ?? instance.OutputJson}");
        if (instance.RuntimeStatus == RuntimeStatuses.Failed) await error.WriteLineAsync($"fix the cause, then: pa resume {id}");
        // A failure caused by the input is the user's to fix (exit 2); anything else is ours (exit 1).
        return failed?.Error is not null && summary!.Error is not null && IsInputError(local, id)
            ? PaCommandLine.ExitInputError
            : PaCommandLine.ExitInternalError;
    }

    private static async Task<int> InterruptedAsync(LocalHost local, string id, TextWriter error)
    {
        var status = (await local.RunStore.GetAsync(id, CancellationToken.None))?.RuntimeStatus ?? "not started";
        await error.WriteLineAsync($"interrupted: run {id} left resumable ({status}); continue it with: pa resume {id}");
        return PaCommandLine.ExitInterrupted;
    }

    /// <summary>
    /// A foreground command executes its own run only: taking over others would keep the terminal busy with runs the user did
    /// not ask for, and race a `pa serve` that may be about to take them. It names them instead.
    /// </summary>
    private static async Task WarnOfInterruptedRunsAsync(LocalHost local, string id, TextWriter error, CancellationToken cancellationToken)
    {
        var interrupted = (await local.Runner.ListInterruptedAsync(cancellationToken)).Where(i => i.InstanceId != id).ToList();
        if (interrupted.Count == 0) return;
        var ids = string.Join(", ", interrupted.Take(10).Select(i => i.InstanceId)) + (interrupted.Count > 10 ? ", ..." : "");
        await error.WriteLineAsync($"warning: {interrupted.Count} interrupted run{(interrupted.Count == 1 ? " is" : "s are")} not executing "
            + $"anywhere ({ids}): pa serve resumes them, or pa resume ID does");
    }

    // The last failed activity decides: a failed run's history ends with the publishing of its summary.
    private static bool IsInputError(LocalHost local, string id) =>
        local.RunStore.GetHistoryAsync(id).GetAwaiter().GetResult().LastOrDefault(e => e.FailureType is not null)?.FailureType
            == typeof(PipelineInputException).FullName;

    public static void PrintSummary(IAnsiConsole console, RunInstance instance, RunSummary summary)
    {
        var table = new Table().AddColumns("step", "status", "attempts", "seconds", "reused from");
        foreach (var step in summary.Steps)
            table.AddRow(Markup.Escape(step.Step), Markup.Escape(step.Status), step.Attempts.ToString(),
                (step.FinishedAt - step.StartedAt).TotalSeconds.ToString("F1"), Markup.Escape(step.ReusedFromRunId ?? ""));
        console.Write(table);
        foreach (var step in summary.Steps.Where(s => s.Error is not null))
            console.MarkupLine($"{Markup.Escape(step.Step)}: {Markup.Escape(step.Error!)}");
        if (summary.Steps.LastOrDefault(s => s.ManifestUri is not null && s.Step != PipelineSteps.PostShowAnalysis) is { ManifestUri: { } last })
            console.MarkupLine($"exports: {Markup.Escape(new Uri(last, ".").ToString())}");
        if (summary.Steps.FirstOrDefault(s => s.Step == PipelineSteps.PostShowAnalysis && s.ManifestUri is not null) is { ManifestUri: { } analysis })
            console.MarkupLine($"post-show analysis: {Markup.Escape(new Uri(analysis, ".").ToString())}");
        var recommendations = summary.Steps.FirstOrDefault(s => s.Step == PipelineSteps.Recommendations && s.Status != StepStatuses.Failed);
        if (recommendations is not null)
        {
            var counts = recommendations.Metrics.Where(m => m.Key.StartsWith("visitors_", StringComparison.Ordinal) || m.Key == "recommendations");
            console.MarkupLine($"recommendations: {string.Join(", ", counts.Select(m => $"{m.Value:N0} {m.Key}"))}");
        }
        if (summary.Retraining is { } retraining)
            console.MarkupLine($"retraining: model {Markup.Escape(retraining.Candidate)} "
                               + $"{(retraining.Promoted ? "promoted" : "not promoted")}: {Markup.Escape(retraining.Reason)}");
        if (summary.Retraining?.Degradation is { } degradation) console.MarkupLine($"[yellow]warning:[/] {Markup.Escape(degradation)}");
        foreach (var step in summary.Steps)
            foreach (var warning in step.Warnings) console.MarkupLine($"[yellow]warning:[/] {Markup.Escape(step.Step)}: {Markup.Escape(warning)}");
        foreach (var warning in summary.Warnings) console.MarkupLine($"[yellow]warning:[/] {Markup.Escape(warning)}");
        var seconds = (summary.FinishedAt - summary.StartedAt).TotalSeconds;
        console.MarkupLine($"{Markup.Escape(instance.InstanceId)}: [bold]{Markup.Escape(instance.RuntimeStatus)}[/] in {seconds:F1} s");
    }

    private static Dictionary<string, string>? Overrides(string[]? pairs)
    {
        if (pairs is null || pairs.Length == 0) return null;
        var overrides = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var pair in pairs)
        {
            var equals = pair.IndexOf('=');
            if (equals <= 0) throw new PipelineInputException("--set", $"'{pair}' is not KEY=VALUE (e.g. recommendation.max_recommendations=8)");
            overrides[pair[..equals].Trim()] = pair[(equals + 1)..].Trim();
        }
        return overrides;
    }
}
