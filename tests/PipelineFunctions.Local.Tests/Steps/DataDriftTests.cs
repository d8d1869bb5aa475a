using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;
using PipelineFunctions.Core.Artifacts;
using PipelineFunctions.Core.Events;
using PipelineFunctions.Core.Orchestration;
using PipelineFunctions.Core.Steps.DataPreparation;
using PipelineFunctions.Infrastructure.Artifacts;
using PipelineFunctions.Infrastructure.Tests.Notifications;
using PipelineFunctions.Local.Commands;
using PipelineFunctions.Local.Tests.Support;
using PipelineFunctions.ShowGenerator;

namespace PipelineFunctions.Local.Tests.Steps;

/// <summary>
/// Step 1's data drift on generated shows: as generated, this year's visitors look like last year's and nothing warns; with a
/// share of this year's answers to one similarity attribute rewritten, that attribute (and only it) is named with its PSI in
/// the metadata, the log and the run's summary, and the run still completes.
/// </summary>
public sealed class DataDriftTests : IDisposable
{
    private const string ShiftedQuestion = "Organisation Type", ShiftedAttribute = "organisation_type";

    private readonly TempFolder _temp = new();

    public void Dispose() => _temp.Dispose();

    private static EventConfig Config() => EventConfigLoader.LoadFile(Path.Combine(Repository.Root, "config", "events", "vet_lva.yaml"));

    private string Generate(string name, int visitors, int seed)
    {
        var folder = _temp.Combine(name);
        ShowDataGenerator.Generate(Config(), new GenerationOptions(visitors, seed), folder, CancellationToken.None);
        return folder;
    }

    /// <summary>
    /// Gives two in five of this year's answers to <paramref name="question"/> the answer this year's visitors gave least: a
    /// category that was small in both years becomes a large one this year.
    /// </summary>
    private static void ShiftThisYearsAnswers(string folder, string question)
    {
        var config = Config();
        var path = Path.Combine(folder, config.Inputs.MainDemographics);
        var rows = JsonNode.Parse(File.ReadAllText(path))!.AsArray();
        var thisYears = rows.Select(r => r!.AsObject())
            .Where(r => config.Event.ShowsThisYear.Contains((string)r["showref"]!) && (string)r["QuestionText"]! == question).ToList();
        Assert.True(thisYears.Count > 300, $"only {thisYears.Count} answers to shift");
        var rarest = thisYears.GroupBy(r => (string)r["AnswerText"]!).OrderBy(g => g.Count()).ThenBy(g => g.Key, StringComparer.Ordinal)
            .First().Key;
        for (var i = 0; i < thisYears.Count; i++)
            if (i % 5 < 2) thisYears[i]["AnswerText"] = rarest;
        File.WriteAllText(path, rows.ToJsonString());
    }

    private async Task<(DataPreparationMetadata Metadata, CapturedLogs Logs)> PrepareAsync(string input)
    {
        var logs = new CapturedLogs();
        var result = await new DataPreparationStep(new Logger<DataPreparationStep>(logs), TimeProvider.System).RunAsync(new DataPreparationRequest(
            Config(), ArtifactStoreLocator.Open(input), ArtifactStoreLocator.Open(_temp.Combine("store-" + Guid.NewGuid().ToString("N"))), "r1"));
        return (result.Metadata, logs);
    }

    private static IEnumerable<string> DriftWarnings(CapturedLogs logs) =>
        logs.Entries.Where(e => e.Level == LogLevel.Warning && e.Text.Contains("data drift", StringComparison.Ordinal)).Select(e => e.Text);

    [Fact]
    public async Task An_unshifted_generated_show_measures_every_similarity_attribute_and_the_stream_mix_and_warns_of_none()
    {
        var (metadata, logs) = await PrepareAsync(Generate("as-generated", 1500, seed: 5));

        var drift = Assert.IsType<DataDrift>(metadata.Drift);
        Assert.Equal([.. Config().Recommendation.SimilarityAttributes.Keys, DataDrift.StreamMix], drift.Indicators.Select(i => i.Name));
        Assert.Equal(0.2, drift.Threshold);
        Assert.True(drift.VisitorsPast > drift.VisitorsThisYear / 2, $"{drift.VisitorsPast} past visitors");
        Assert.All(drift.Indicators, i => Assert.True(i.Psi is >= 0 and < 0.2, $"{i.Name}: PSI {i.Psi}"));
        // The metadata keeps the bins that explain most of the index: all of it when there are no more than those.
        Assert.All(drift.Indicators, i => Assert.True(i.Categories > DriftIndicator.BinsKept
            ? i.Psi >= i.Bins.Sum(b => b.Contribution) - 1e-12 : Math.Abs(i.Psi - i.Bins.Sum(b => b.Contribution)) < 1e-12, i.Name));
        Assert.Empty(drift.AboveThreshold);
        Assert.Empty(DriftWarnings(logs));
        var streams = drift.Indicators.Single(i => i.Name == DataDrift.StreamMix);
        Assert.True(streams.Categories > 3, $"the stream mix has {streams.Categories} categories");
    }

    [Fact]
    public async Task The_small_samples_high_psi_is_sampling_noise_and_does_not_warn()
    {
        var (metadata, logs) = await PrepareAsync(Repository.Sample("vet_lva"));

        // 120 visitors against about 200: Country's PSI is above 0.2, yet no higher than chance alone gives so few visitors.
        var drift = Assert.IsType<DataDrift>(metadata.Drift);
        var country = drift.Indicators.Single(i => i.Name == "Country");
        Assert.True(country.Psi > drift.Threshold, $"Country: PSI {country.Psi}");
        Assert.True(country.SamplingPValue >= DriftIndicator.NoiseLevel, $"Country: p {country.SamplingPValue}");
        Assert.Empty(drift.AboveThreshold);
        Assert.Empty(DriftWarnings(logs));
    }

    [Fact]
    public async Task A_show_shifted_in_one_attribute_warns_naming_that_attribute_and_its_psi_in_the_metadata_and_log()
    {
        var input = Generate("shifted", 1500, seed: 5);
        ShiftThisYearsAnswers(input, ShiftedQuestion);

        var (metadata, logs) = await PrepareAsync(input);

        var drifted = Assert.Single(metadata.Drift!.AboveThreshold);
        Assert.Equal(ShiftedAttribute, drifted.Name);
        Assert.True(drifted.Psi > 0.2, $"PSI {drifted.Psi}");
        var warning = Assert.Single(DriftWarnings(logs));
        Assert.Contains($"attribute '{ShiftedAttribute}' has PSI {drifted.Psi.ToString("0.000", CultureInfo.InvariantCulture)}", warning);
        // The category that grew explains most of the index.
        Assert.True(drifted.Bins[0].ActualShare > drifted.Bins[0].ExpectedShare + 0.2, JsonSerializer.Serialize(drifted.Bins[0]));
    }

    [Fact]
    public async Task A_run_on_a_shifted_show_completes_with_the_drift_warning_and_every_psi_in_its_summary()
    {
        var input = Generate("shifted-run", 600, seed: 6);
        ShiftThisYearsAnswers(input, ShiftedQuestion);
        var (output, error) = (new StringWriter(), new StringWriter());

        var exit = await PaCommandLine.RunAsync(["run", "--event", "vet_lva", "--input", input, "--store", _temp.Combine("store"), "--graph",
            _temp.Combine("graph"), "--runs", _temp.Combine("runs.sqlite"), "--json"], output, error);

        Assert.True(exit == 0, error.ToString());
        var summary = JsonSerializer.Deserialize<RunSummary>(output.ToString(), PipelineJson.Options)!;
        var step = summary.Steps.Single(s => s.Step == PipelineSteps.DataPreparation);
        var psi = step.Scores[$"psi_{ShiftedAttribute}"];
        Assert.True(psi > 0.2, $"PSI {psi}");
        string[] names = [.. Config().Recommendation.SimilarityAttributes.Keys.Select(k => $"psi_{k}"), $"psi_{DataDrift.StreamMix}"];
        Assert.Equal(names.Order(StringComparer.Ordinal), step.Scores.Keys.Order(StringComparer.Ordinal));
        var warning = Assert.Single(step.Warnings, w => w.Contains($"'{ShiftedAttribute}'", StringComparison.Ordinal));
        Assert.Contains($"PSI {psi.ToString("0.000", CultureInfo.InvariantCulture)}", warning);

        // Run again: step 1 is reused, and so is its warning, which `pa run` prints.
        var (again, againError) = (new StringWriter(), new StringWriter());
        Assert.Equal(0, await PaCommandLine.RunAsync(["run", "--event", "vet_lva", "--input", input, "--store", _temp.Combine("store"), "--graph",
            _temp.Combine("graph"), "--runs", _temp.Combine("runs.sqlite")], again, againError));
        Assert.Contains($"warning: data_preparation: data drift: attribute '{ShiftedAttribute}'", again.ToString().ReplaceLineEndings(" ")
            .Replace("  ", " ", StringComparison.Ordinal));
    }
}
