using System.Text.Json;
using PipelineFunctions.Core.Artifacts;
using PipelineFunctions.Core.Orchestration;
using PipelineFunctions.Core.Steps.Analysis;
using PipelineFunctions.Local.Commands;
using PipelineFunctions.Local.Tests.Support;

namespace PipelineFunctions.Local.Tests.Analysis;

/// <summary>
/// `pa run --analyse` after the show: the orchestration's analysis step, on the committed sample. This year's scans added
/// to the input leave steps 1 to 4 reusable, so the analysis compares the agendas the earlier run sent.
/// </summary>
public sealed class AnalysisInTheRunTests : IDisposable
{
    private readonly TempFolder _temp = new();

    public void Dispose() => _temp.Dispose();

    private async Task<(int ExitCode, string Output, string Error)> Pa(params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        var exitCode = await PaCommandLine.RunAsync(args, output, error);
        return (exitCode, output.ToString(), error.ToString());
    }

    private string[] Run(string input, string id, params string[] more) =>
    [
        "run", "--event", "vet_lva", "--input", input, "--instance-id", id, "--store", _temp.Combine("store"), "--graph", _temp.Combine("graph"),
        "--runs", _temp.Combine("runs.sqlite"), "--json", .. more,
    ];

    [Fact]
    public async Task A_run_with_analyse_reuses_the_four_steps_and_analyses_the_agendas_they_sent()
    {
        var input = _temp.Combine("input");
        SampleCopies.CopyFolder(Repository.Sample("vet_lva"), input);
        var (before, _, beforeError) = await Pa(Run(input, "before-the-show"));
        Assert.True(before == 0, beforeError);
        var (generated, _, generateError) = await Pa("generate", "--event", "vet_lva", "--out", input, "--uplift", "0.2", "--seed", "3",
            "--store", _temp.Combine("store"));
        Assert.True(generated == 0, generateError);

        var (exitCode, output, error) = await Pa(Run(input, "after-the-show", "--analyse"));

        Assert.True(exitCode == 0, error);
        var summary = JsonSerializer.Deserialize<RunSummary>(output, PipelineJson.Options)!;
        Assert.Equal([.. PipelineSteps.All, PipelineSteps.PostShowAnalysis], summary.Steps.Select(s => s.Step));
        Assert.All(summary.Steps.Take(4), s => Assert.Equal(("before-the-show", StepStatuses.Reused), (s.ReusedFromRunId, s.Status)));
        var analysis = summary.Steps[^1];
        Assert.Equal(StepStatuses.Succeeded, analysis.Status);
        Assert.True(analysis.Metrics["control_visitors"] > 0 && analysis.Metrics["treatment_visitors"] > analysis.Metrics["control_visitors"],
            string.Join(", ", analysis.Metrics));
        var folder = Path.Combine(_temp.Combine("store"), "runs", "vet_lva", "after-the-show", PostShowAnalysisStep.StepName);
        var report = JsonSerializer.Deserialize<AnalysisReport>(await File.ReadAllTextAsync(Path.Combine(folder, PostShowAnalysisStep.AnalysisJson)),
            PipelineJson.Options)!;
        Assert.Equal("before-the-show", report.RecommendationsRunId);
        Assert.DoesNotContain(summary.Warnings, w => w.StartsWith(PipelineSteps.PostShowAnalysis, StringComparison.Ordinal));
        Assert.Equal(new Uri(Path.Combine(folder, ArtifactManifest.FileName)), analysis.ManifestUri);
    }

    [Fact]
    public async Task Without_this_years_scans_the_run_fails_in_the_analysis_step_naming_the_missing_file_and_keeps_its_recommendations()
    {
        var input = _temp.Combine("input");
        SampleCopies.CopyFolder(Repository.Sample("vet_lva"), input);

        var (exitCode, _, error) = await Pa(Run(input, "too-early", "--analyse"));

        Assert.Equal(PaCommandLine.ExitInputError, exitCode);
        Assert.StartsWith("error: run too-early failed: post_show_analysis: ", error);
        Assert.Contains("lvs2025 seminar scans", error);
        Assert.DoesNotContain("   at ", error);
        Assert.True(File.Exists(Path.Combine(_temp.Combine("store"), "runs", "vet_lva", "too-early", "recommendations", "recommendations.json")));
    }
}
