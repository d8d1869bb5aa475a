using System.Text.Json;
using PipelineFunctions.Core.Artifacts;
using PipelineFunctions.Core.Steps.Analysis;
using PipelineFunctions.Local.Commands;
using PipelineFunctions.Local.Tests.Support;

namespace PipelineFunctions.Local.Tests.Analysis;

/// <summary>`pa analyse` and `pa generate --uplift` as a user runs them, on the analysed show's run store.</summary>
[Collection(AnalysedShowCollection.Name)]
public sealed class AnalyseCommandTests(AnalysedShowFixture show) : IDisposable
{
    private readonly TempFolder _temp = new();

    public void Dispose() => _temp.Dispose();

    private static async Task<(int ExitCode, string Output, string Error)> Pa(params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        var exitCode = await PaCommandLine.RunAsync(args, output, error);
        return (exitCode, output.ToString(), error.ToString());
    }

    [Fact]
    public async Task It_analyses_the_newest_run_and_prints_every_metric_with_its_interval_or_the_report_as_json()
    {
        var (generated, generateOutput, generateError) = await Pa("generate", "--event", "vet_lva", "--out", show.ShowFolder, "--uplift", "0.1",
            "--seed", "9", "--store", show.StorePath);
        Assert.True(generated == 0, generateError);
        Assert.Contains("uplift 0.1 absolute", generateOutput);

        var (exitCode, output, error) = await Pa("analyse", "--event", "vet_lva", "--input", show.ShowFolder, "--store", show.StorePath);
        Assert.True(exitCode == 0, error);
        var report = JsonSerializer.Deserialize<AnalysisReport>(await File.ReadAllTextAsync(Path.Combine(show.StorePath, "runs", "vet_lva",
            AnalysedShowFixture.RunId, PostShowAnalysisStep.StepName, PostShowAnalysisStep.AnalysisJson)), PipelineJson.Options)!;
        Assert.Contains($"run {AnalysedShowFixture.RunId}", output);
        foreach (var segment in report.Metrics.Select(m => m.Segment).Distinct()) Assert.Contains(segment, output);
        foreach (var metric in AnalysisMetrics.All) Assert.Contains(metric, output);
        var headline = report.Find(AnalysisMetrics.AttendedRecommendedShare);
        Assert.Contains(FormattableString.Invariant($"[{headline.CiLow:0.000}, {headline.CiHigh:0.000}]"), output);

        var (jsonExit, json, _) = await Pa("analyse", "--event", "vet_lva", "--input", show.ShowFolder, "--store", show.StorePath, "--run-id",
            AnalysedShowFixture.RunId, "--json");
        Assert.Equal(0, jsonExit);
        Assert.Equal(report.Metrics, JsonSerializer.Deserialize<AnalysisReport>(json, PipelineJson.Options)!.Metrics);
    }

    [Fact]
    public async Task The_same_seed_simulates_the_same_scans_and_an_impossible_uplift_is_refused()
    {
        async Task<byte[]> Simulate(string folder, string seed)
        {
            var (exitCode, _, error) = await Pa("generate", "--event", "vet_lva", "--out", folder, "--input", show.ShowFolder, "--uplift", "0.1",
                "--seed", seed, "--store", show.StorePath);
            Assert.True(exitCode == 0, error);
            return await File.ReadAllBytesAsync(Path.Combine(folder, show.Config.Inputs.ScansThisYear!));
        }
        var first = await Simulate(_temp.Combine("a"), "5");
        Assert.Equal(first, await Simulate(_temp.Combine("b"), "5"));
        Assert.NotEqual(first, await Simulate(_temp.Combine("c"), "6"));

        var (refused, _, message) = await Pa("generate", "--event", "vet_lva", "--out", _temp.Combine("d"), "--input", show.ShowFolder,
            "--uplift", "0.7", "--store", show.StorePath);
        Assert.Equal(PaCommandLine.ExitInputError, refused);
        Assert.Contains("--uplift", message);
        Assert.DoesNotContain("   at ", message);
    }

    [Fact]
    public async Task No_such_run_a_run_without_recommendations_and_unconfigured_or_missing_scans_are_clear_messages()
    {
        await show.SimulateAsync(0.1, seed: 1);
        var (noRun, _, noRunError) = await Pa("analyse", "--event", "vet_lva", "--input", show.ShowFolder, "--store", show.StorePath,
            "--run-id", "nobody");
        Assert.Equal(PaCommandLine.ExitInputError, noRun);
        Assert.Contains("no run 'nobody'", noRunError);

        // A run that stopped after step 1: its folder exists, its recommendations do not.
        var store = _temp.Combine("store");
        Directory.CreateDirectory(Path.Combine(store, "runs", "vet_lva", "half", "data_preparation"));
        await File.WriteAllTextAsync(Path.Combine(store, "runs", "vet_lva", "half", "data_preparation", "manifest.json"), "{}");
        var (half, _, halfError) = await Pa("analyse", "--event", "vet_lva", "--input", show.ShowFolder, "--store", store, "--run-id", "half");
        Assert.Equal(PaCommandLine.ExitInputError, half);
        Assert.Contains("has no recommendations", halfError);

        var empty = _temp.Combine("no-scans");
        Directory.CreateDirectory(empty);
        var (missing, _, missingError) = await Pa("analyse", "--event", "vet_lva", "--input", empty, "--store", show.StorePath);
        Assert.Equal(PaCommandLine.ExitInputError, missing);
        Assert.Contains("are not in", missingError);

        var config = _temp.Combine("unconfigured.yaml");
        await File.WriteAllLinesAsync(config, File.ReadAllLines(Path.Combine(Repository.Root, "config", "events", "vet_lva.yaml"))
            .Where(l => !l.TrimStart().StartsWith("scans_this_year:", StringComparison.Ordinal)
                        && !l.TrimStart().StartsWith("scan_reference_this_year:", StringComparison.Ordinal)));
        var (unconfigured, _, unconfiguredError) = await Pa("analyse", "--config", config, "--input", show.ShowFolder, "--store", show.StorePath);
        Assert.Equal(PaCommandLine.ExitInputError, unconfigured);
        Assert.Contains("inputs.scans_this_year", unconfiguredError);
        foreach (var message in new[] { noRunError, halfError, missingError, unconfiguredError }) Assert.DoesNotContain("   at ", message);
    }
}
