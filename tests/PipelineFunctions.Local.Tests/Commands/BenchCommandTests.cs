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
    public async Task Bench_embed_with_minilm_times_step_3_and_a_rerun_that_embeds_nothing_against_minilms_target()
    {
        using var temp = new TempFolder();
        var output = new StringWriter();
        var error = new StringWriter();

        var exitCode = await PaCommandLine.RunAsync(["bench", "embed", "--event", "vet_lva", "--visitors", "200", "--data", temp.Combine("show"),
            "--generator", "minilm", "--runs", "1", "--json"], output, error);

        Assert.True(exitCode == 0, error.ToString());
        using var json = JsonDocument.Parse(output.ToString());
        Assert.Equal(["1 (embed all)", "2 (nothing changed)"],
            json.RootElement.GetProperty("runs").EnumerateArray().Select(r => r.GetProperty("label").GetString()));
        Assert.Equal(EmbedBenchmark.MiniLMTargetSeconds, json.RootElement.GetProperty("targetSeconds").GetDouble());
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

    [Fact]
    public async Task Bench_load_times_a_run_with_and_without_polling_clients_and_reports_their_latencies()
    {
        using var temp = new TempFolder();
        var output = new StringWriter();
        var error = new StringWriter();

        var exitCode = await PaCommandLine.RunAsync(
            ["bench", "load", "--event", "vet_lva", "--visitors", "300", "--clients", "5", "--seconds", "2", "--data", temp.Combine("show"),
                "--json"], output, error);

        Assert.True(exitCode == 0, error.ToString());
        using var json = JsonDocument.Parse(output.ToString());
        var root = json.RootElement;
        var routes = root.GetProperty("routes").EnumerateArray().ToList();
        Assert.Equal(["status", "list"], routes.Select(r => r.GetProperty("route").GetString()));
        var all = root.GetProperty("all");
        // Every client polls both routes at least once, and for as long as the run under load lasts.
        Assert.True(all.GetProperty("requests").GetInt32() >= 2 * 5, output.ToString());
        Assert.Equal(routes.Sum(r => r.GetProperty("requests").GetInt32()), all.GetProperty("requests").GetInt32());
        foreach (var figures in routes.Append(all))
        {
            var (p50, p99, max) = (figures.GetProperty("p50Milliseconds").GetDouble(), figures.GetProperty("p99Milliseconds").GetDouble(),
                figures.GetProperty("maxMilliseconds").GetDouble());
            Assert.True(0 < p50 && p50 <= p99 && p99 <= max, figures.ToString());
        }
        // A quiet loopback server answers every poll: the errors are counted, and there are none.
        Assert.Equal(0, all.GetProperty("errors").GetInt32());
        Assert.Empty(root.GetProperty("errorKinds").EnumerateObject());
        Assert.True(root.GetProperty("errorTargetMet").GetBoolean());
        Assert.True(root.GetProperty("loadSeconds").GetDouble() >= 2);
        var quiet = root.GetProperty("runSecondsWithoutLoad").GetDouble();
        var loaded = root.GetProperty("runSecondsWithLoad").GetDouble();
        Assert.True(quiet > 0 && loaded > 0);
        Assert.Equal((loaded / quiet - 1) * 100, root.GetProperty("slowdownPercent").GetDouble(), 6);
        Assert.Equal(all.GetProperty("requests").GetInt32() / root.GetProperty("loadSeconds").GetDouble(),
            root.GetProperty("requestsPerSecond").GetDouble(), 6);
    }

    [Fact]
    public void Load_figures_count_unanswered_and_failed_requests_as_errors_and_take_nearest_rank_percentiles()
    {
        var latencies = Enumerable.Range(1, 200).Select(i => (double)i).Reverse();

        var figures = LoadRouteFigures.From("status", latencies, unanswered: 3, failedAnswers: 2);

        Assert.Equal(203, figures.Requests);
        Assert.Equal(5, figures.Errors);
        Assert.Equal(100, figures.P50Milliseconds);
        Assert.Equal(198, figures.P99Milliseconds);
        Assert.Equal(200, figures.MaxMilliseconds);
    }

    [Theory]
    [InlineData("--clients", "0")]
    [InlineData("--seconds", "0")]
    [InlineData("--interval", "-1")]
    public async Task Bench_load_refuses_an_option_out_of_range(string option, string value)
    {
        var error = new StringWriter();
        var exitCode = await PaCommandLine.RunAsync(["bench", "load", option, value], new StringWriter(), error);

        Assert.Equal(2, exitCode);
        Assert.Contains(option, error.ToString());
    }
}
