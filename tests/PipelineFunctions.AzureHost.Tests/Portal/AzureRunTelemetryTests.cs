using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.DependencyInjection;
using PipelineFunctions.AzureHost.Tests.Support;
using PipelineFunctions.Core.Orchestration;
using PipelineFunctions.Core.Telemetry;
using PipelineFunctions.Hosting;
using PipelineFunctions.Infrastructure.Tests.Artifacts;

namespace PipelineFunctions.AzureHost.Tests.Portal;

/// <summary>
/// On the real Durable Task engine, which replays the orchestrator after every activity, a run's end is emitted once:
/// one RecordRunEnd invocation, one run span with a span per step, one run-ended log event.
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed class AzureRunTelemetryTests(AzuriteFixture azurite)
{
    [Fact]
    public async Task A_replayed_orchestration_emits_its_run_span_and_run_ended_event_once()
    {
        var spans = new ConcurrentQueue<Activity>();
        using var listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name == PipelineTelemetryNames.ActivitySourceName,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = spans.Enqueue,
        };
        ActivitySource.AddActivityListener(listener);
        await using var host = await FunctionsTestHost.StartAsync(azurite);
        var body = """{"input": "vet_lva", "instanceId": "telemetry-1", "parameters": {"recommendation.shard_size": 40}}""";
        var started = await host.Services.GetRequiredService<PipelineRunStarter>().SubmitAsync(host.Client, "vet_lva",
            new MemoryStream(Encoding.UTF8.GetBytes(body)), CancellationToken.None);
        Assert.Equal(RunStartStatus.Started, started.Status);
        var finished = await host.WaitAsync("telemetry-1");
        Assert.Equal(OrchestrationRuntimeStatus.Completed, finished.RuntimeStatus);

        Assert.Equal(1, host.Functions.Invocations[PipelineActivityNames.RecordRunEnd]);
        List<Activity> Of(string name) =>
            spans.Where(s => s.OperationName == name && (string?)s.GetTagItem(PipelineTelemetryNames.Attributes.InstanceId) == "telemetry-1")
                .ToList();
        var run = Assert.Single(Of(PipelineTelemetryNames.Spans.Run));
        Assert.Equal(PipelineTelemetryNames.RunStatuses.Completed, run.GetTagItem(PipelineTelemetryNames.Attributes.Status));
        Assert.Equal(PipelineSteps.All,
            Of(PipelineTelemetryNames.Spans.Step).Select(s => (string?)s.GetTagItem(PipelineTelemetryNames.Attributes.Step)));
        Assert.True(Of(PipelineTelemetryNames.Spans.Activity).Count(s => (string?)s.GetTagItem(PipelineTelemetryNames.Attributes.Activity)
            == PipelineActivityNames.ScoreRecommendationShard) > 1);
        Assert.Single(host.Logs.Messages, m => m.StartsWith("Run telemetry-1 of event vet_lva (instance telemetry-1) ended Completed",
            StringComparison.Ordinal));
    }
}
