using System.Text.Json;
using PipelineFunctions.Benchmarks;
using PipelineFunctions.Core.Artifacts;
using PipelineFunctions.Core.Orchestration;
using PipelineFunctions.Local.Commands;
using PipelineFunctions.Local.Tests.Support;

namespace PipelineFunctions.Local.Tests.Commands;

/// <summary>The benchmark command works end to end on a small show (the 50k figures are taken by running it, not here).</summary>
public sealed class BenchCommandTests
{
    [Fact]
    public async Task Bench_prepare_generates_a_show_and_measures_step_1_in_a_child_process()
    {
        using var temp = new TempFolder();
        var data = temp.Combine("show");
        var output = new StringWriter();
        var error = new StringWriter();

        var exitCode = await PaCommandLine.RunAsync(
            ["bench", "prepare", "--event", "vet_lva", "--visitors", "300", "--runs", "2", "--data", data, "--json"], output, error);

        Assert.True(exitCode == 0, error.ToString());
        Assert.True(File.Exists(Path.Combine(data, ".generated")));
        using var json = JsonDocument.Parse(output.ToString());
        var root = json.RootElement;
        Assert.Equal(2, root.GetProperty("runs").GetArrayLength());
        var facts = root.GetProperty("facts");
        Assert.InRange(facts.GetProperty("visitors this year").GetInt64(), 250, 300);
        Assert.True(facts.GetProperty("demographic rows").GetInt64() > 300 * 5);
        Assert.True(facts.GetProperty("scans").GetInt64() > 300);
        // The child's own peak: a .NET process that ran the step, well above an idle runtime and below the target.
        Assert.InRange(root.GetProperty("peakWorkingSetBytes").GetInt64(), 20L << 20, PrepareBenchmark.TargetPeakBytes);
    }

    [Fact]
    public async Task Bench_graph_measures_step_2_on_a_generated_show()
    {
        using var temp = new TempFolder();
        var output = new StringWriter();
        var error = new StringWriter();

        var exitCode = await PaCommandLine.RunAsync(
            ["bench", "graph", "--event", "vet_lva", "--visitors", "200", "--data", temp.Combine("show"), "--json"], output, error);

        Assert.True(exitCode == 0, error.ToString());
        using var json = JsonDocument.Parse(output.ToString());
        Assert.Equal(["1 (empty graph, full)", "2 (full again)", "3 (incremental)"],
            json.RootElement.GetProperty("runs").EnumerateArray().Select(r => r.GetProperty("label").GetString()));
        Assert.InRange(json.RootElement.GetProperty("facts").GetProperty("Visitor_this_year").GetInt64(), 150, 200);
    }

    [Fact]
    public async Task Bench_embed_measures_step_3_fit_rerun_and_refit()
    {
        using var temp = new TempFolder();
        var output = new StringWriter();
        var error = new StringWriter();

        var exitCode = await PaCommandLine.RunAsync(
            ["bench", "embed", "--event", "vet_lva", "--visitors", "200", "--data", temp.Combine("show"), "--json"], output, error);

        Assert.True(exitCode == 0, error.ToString());
        using var json = JsonDocument.Parse(output.ToString());
        Assert.Equal(["1 (fit + embed all)", "2 (nothing changed)", "3 (refit + embed all)"],
            json.RootElement.GetProperty("runs").EnumerateArray().Select(r => r.GetProperty("label").GetString()));
        Assert.True(json.RootElement.GetProperty("facts").GetProperty("sessions").GetInt64() > 300);
        Assert.Equal(384, json.RootElement.GetProperty("facts").GetProperty("dimensions").GetInt64());
    }

    [Fact]
    public async Task Bench_recommend_measures_step_4_after_steps_1_to_3()
    {
        using var temp = new TempFolder();
        var output = new StringWriter();
        var error = new StringWriter();

        var exitCode = await PaCommandLine.RunAsync(
            ["bench", "recommend", "--event", "vet_lva", "--visitors", "200", "--data", temp.Combine("show"), "--json"], output, error);

        Assert.True(exitCode == 0, error.ToString());
        using var json = JsonDocument.Parse(output.ToString());
        var facts = json.RootElement.GetProperty("facts");
        Assert.InRange(facts.GetProperty("visitors_processed").GetInt64(), 150, 200);
        Assert.True(facts.GetProperty("recommendations").GetInt64() > facts.GetProperty("visitors_processed").GetInt64());
        // Three runs with a trained ranker (the targeted one first), then the heuristic's, and the naive comparison.
        var runs = json.RootElement.GetProperty("runs").EnumerateArray().Select(r => r.GetProperty("label").GetString()!).ToList();
        Assert.Equal(4, runs.Count);
        Assert.StartsWith("1 learned ranker", runs[0]);
        Assert.StartsWith("heuristic", runs[3]);
        Assert.True(facts.TryGetProperty("naive / heuristic scoring, x", out _));
    }

    [Fact]
    public async Task Bench_prepare_refuses_a_run_count_out_of_range()
    {
        var error = new StringWriter();
        var exitCode = await PaCommandLine.RunAsync(["bench", "prepare", "--runs", "0"], new StringWriter(), error);

        Assert.Equal(2, exitCode);
        Assert.Contains("--runs", error.ToString());
    }

    [Fact]
    public async Task Bench_activities_runs_each_activity_of_a_whole_run_in_its_own_process()
    {
        using var temp = new TempFolder();
        var output = new StringWriter();
        var error = new StringWriter();

        var exitCode = await PaCommandLine.RunAsync(
            ["bench", "activities", "--event", "vet_lva", "--visitors", "200", "--data", temp.Combine("show"), "--json"], output, error);

        Assert.True(exitCode == 0, error.ToString());
        var figures = JsonSerializer.Deserialize<ActivityBenchmarkFigures>(output.ToString(), PipelineJson.Options)!;
        // Steps 2-4 fan out: a plan, one or more parts, a fan-in; the figures group each activity's calls.
        Assert.Equal(
            [
                (PipelineActivityNames.PlanRun, null), (PipelineActivityNames.PrepareData, PipelineSteps.DataPreparation),
                (PipelineActivityNames.BeginGraphPreparation, PipelineSteps.GraphPreparation),
                (PipelineActivityNames.RunGraphProcessor, PipelineSteps.GraphPreparation),
                (PipelineActivityNames.FinishGraphPreparation, PipelineSteps.GraphPreparation),
                (PipelineActivityNames.BeginEmbeddings, PipelineSteps.Embeddings),
                (PipelineActivityNames.EmbedSessionBatch, PipelineSteps.Embeddings),
                (PipelineActivityNames.FinishEmbeddings, PipelineSteps.Embeddings),
                (PipelineActivityNames.BeginRecommendations, PipelineSteps.Recommendations),
                (PipelineActivityNames.ScoreRecommendationShard, PipelineSteps.Recommendations),
                (PipelineActivityNames.FinishRecommendations, PipelineSteps.Recommendations),
                (PipelineActivityNames.NotifyRunEnded, null), // announces the run's end (no webhook here: sends nothing)
                (PipelineActivityNames.RecordRunEnd, null), // the run's end telemetry
            ],
            figures.ByActivity.Select(a => (a.Activity, a.Step)));
        Assert.Equal(figures.Activities.Count, figures.ByActivity.Sum(a => a.Calls));
        foreach (var activity in figures.Activities)
        {
            // Each peak is a process's own: a .NET runtime that ran one activity, not the measuring process.
            Assert.InRange(activity.PeakWorkingSetBytes, 20L << 20, ActivityBenchmark.TargetPeakBytes);
            Assert.True(activity.InputBytes > 0 && activity.OutputBytes > 0, activity.Activity);
        }
        // Parts run side by side, so the run may take less than the activities' summed time, but never less than the slowest.
        Assert.True(figures.RunSeconds >= figures.Activities.Max(a => a.Seconds));
    }
}
