using System.Diagnostics;
using System.Text.Json;
using Microsoft.Extensions.Logging.Abstractions;
using PipelineFunctions.Core.Artifacts;
using PipelineFunctions.Core.Events;
using PipelineFunctions.Core.Orchestration;
using PipelineFunctions.Infrastructure.Artifacts;
using PipelineFunctions.Infrastructure.Graph;
using PipelineFunctions.LocalEngine;

namespace PipelineFunctions.Benchmarks;

/// <summary>
/// The whole pipeline with each activity in a fresh process, as a Functions instance would run it: the orchestration runs
/// in the measuring process and every activity call starts a process over the run's shared artifact store and graph,
/// which reports the activity's time and its own peak working set. The largest peak is what an instance must hold.
/// Target: no activity above 1.5 GB, so 2 GB Flex Consumption instances suffice.
/// </summary>
public static class ActivityBenchmark
{
    public const long TargetPeakBytes = 1536L << 20;

    /// <summary>Runs the show in <paramref name="dataFolder"/>, each activity through <paramref name="runActivity"/>.</summary>
    public static async Task<ActivityBenchmarkFigures> MeasureAsync(EventConfig config, string dataFolder, string configRoot,
        Func<ActivityCall, CancellationToken, Task<ActivityFigures>> runActivity, CancellationToken cancellationToken)
    {
        using var workspace = new BenchmarkWorkspace("activities");
        var context = new ChildProcessOrchestrationContext(workspace.Folder, configRoot, runActivity, cancellationToken);
        var watch = Stopwatch.StartNew();
        var summary = await PipelineOrchestration.RunAsync(context,
            new PipelineRunInput(new PipelineRunRequest(config.Event.Name, dataFolder), BenchmarkWorkspace.RunId));
        if (summary.Status != StepStatuses.Succeeded)
            throw new InvalidOperationException($"the measured run {summary.Status}: {summary.Error}");
        return new ActivityBenchmarkFigures(config.Event.Name, dataFolder, context.Activities, watch.Elapsed.TotalSeconds,
            Environment.ProcessorCount, TargetPeakBytes);
    }

    /// <summary>
    /// In the fresh process: runs one activity on the local engine's services over the shared workspace, writes its JSON
    /// output, and returns its figures (the process's peak working set covers the runtime's start, as an instance's would).
    /// </summary>
    public static async Task<ActivityFigures> RunActivityAsync(ActivityCall call, CancellationToken cancellationToken)
    {
        var services = new LocalPipelineServices(ArtifactStoreLocator.Open(Path.Combine(call.WorkspaceFolder, BenchmarkWorkspace.StoreFolder)),
            new SqliteAgendaGraphFactory(Path.Combine(call.WorkspaceFolder, BenchmarkWorkspace.GraphFolder)), call.ConfigRoot,
            LocalPipelineServices.OpenAnyInput, NullLoggerFactory.Instance, TimeProvider.System);
        var inputBytes = await File.ReadAllBytesAsync(call.InputFile, cancellationToken);
        using var input = JsonDocument.Parse(inputBytes);
        var watch = Stopwatch.StartNew();
        var output = await new PipelineActivities(services).InvokeAsync(call.Activity, input.RootElement, cancellationToken);
        var seconds = watch.Elapsed.TotalSeconds;
        var outputBytes = PipelineJson.Serialize(output);
        await File.WriteAllBytesAsync(call.OutputFile, outputBytes, cancellationToken);
        return new ActivityFigures(call.Activity, StepOf(input.RootElement), seconds, BenchmarkTimer.PeakWorkingSet(), inputBytes.LongLength,
            outputBytes.LongLength);
    }

    /// <summary>The step an activity belongs to: a step input's "step", or that of the step input a part or fan-in carries.</summary>
    private static string? StepOf(JsonElement input)
    {
        if (input.ValueKind != JsonValueKind.Object || !input.TryGetProperty("step", out var step)) return null;
        if (step.ValueKind == JsonValueKind.String) return step.GetString();
        return step.ValueKind == JsonValueKind.Object && step.TryGetProperty("step", out var inner) && inner.ValueKind == JsonValueKind.String
            ? inner.GetString()
            : null;
    }
}
