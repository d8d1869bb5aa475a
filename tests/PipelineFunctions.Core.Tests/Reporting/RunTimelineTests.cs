using System.Text.Json;
using PipelineFunctions.Core.Artifacts;
using PipelineFunctions.Core.Orchestration;
using PipelineFunctions.Core.Orchestration.FanOut;
using PipelineFunctions.Core.Reporting;

namespace PipelineFunctions.Core.Tests.Reporting;

public sealed class RunTimelineTests
{
    private static readonly DateTime Start = new(2026, 12, 6, 4, 0, 0, DateTimeKind.Utc);

    private static ActivityRun Run(string name, double from, double to, object? result, bool failed = false) =>
        new(name, Start.AddSeconds(from), Start.AddSeconds(to), failed ? null : JsonSerializer.Serialize(result, PipelineJson.Options), failed);

    [Fact]
    public void Fan_out_parts_are_labelled_by_wave_and_index_from_the_recorded_plan_and_results()
    {
        var plan = new FanOutPlan(PipelineSteps.GraphPreparation, "f", DateTimeOffset.UnixEpoch, null, [2, 1], "processors", 2);
        var shards = new FanOutPlan(PipelineSteps.Recommendations, "f", DateTimeOffset.UnixEpoch, null, [3], "shards", 3);
        var counts = new Dictionary<string, long>();
        var notes = new List<string>();

        var bars = RunTimeline.Build(Start,
        [
            Run(PipelineActivityNames.PlanRun, 0, 0.5, null),
            Run(PipelineActivityNames.BeginGraphPreparation, 1, 1.25, plan),
            Run(PipelineActivityNames.RunGraphProcessor, 1.25, 2, new StepPartResult(0, 1, false, counts)),
            Run(PipelineActivityNames.RunGraphProcessor, 2, 3, new StepPartResult(1, 0, true, counts)),
            Run(PipelineActivityNames.BeginRecommendations, 3, 3.5, shards),
            Run(PipelineActivityNames.ScoreRecommendationShard, 3.5, 4, null, failed: true),
            Run(PipelineActivityNames.ScoreRecommendationShard, 4, 5, new StepPartResult(0, 2, false, counts)),
            Run(PipelineActivityNames.FinishRecommendations, 5, 6, null),
            new ActivityRun(PipelineActivityNames.RetrainRanker, null, Start.AddSeconds(7), "null", false),
        ], notes);

        Assert.Equal(
        [
            ("plan", "plan", 0.0, 0.5, "succeeded"),
            ("graph_preparation", "graph_preparation: plan", 1, 1.25, "succeeded"),
            ("graph_preparation", "graph_preparation: wave 1, processor 2 of 2", 1.25, 2, "succeeded"),
            ("graph_preparation", "graph_preparation: wave 2, processor 1 of 1", 2, 3, "reused"),
            ("recommendations", "recommendations: plan", 3, 3.5, "succeeded"),
            ("recommendations", "recommendations: shard", 3.5, 4, "failed"),
            ("recommendations", "recommendations: shard 3 of 3", 4, 5, "succeeded"),
            ("recommendations", "recommendations: fan-in", 5, 6, "succeeded"),
        ], bars.Select(b => (b.Step, b.Label, b.StartSeconds, b.EndSeconds, b.Status)));
        // The retraining was recorded without a start time: left off the timeline, and said so.
        Assert.Contains(notes, n => n.StartsWith("1 activities were recorded without their start time", StringComparison.Ordinal));
    }
}
