using PipelineFunctions.Core;
using PipelineFunctions.Core.Events;
using PipelineFunctions.Core.Inputs;
using PipelineFunctions.ShowGenerator.Tests.Support;

namespace PipelineFunctions.ShowGenerator.Tests;

public sealed class GenerationPartsTests
{
    private static string ConfigText(string eventName) =>
        File.ReadAllText(EventConfigLoader.ResolveEventPath(eventName, RepositoryPaths.Root));

    [Fact]
    public void EmailCasing_ChangesOnlyCase_AndProducesEveryStyle()
    {
        var rng = new Random(1);
        var variants = Enumerable.Range(0, 2000).Select(_ => EmailCasing.Vary(rng, "jane.doe@vets.co.uk")).ToList();
        Assert.All(variants, v => Assert.Equal("jane.doe@vets.co.uk", v.ToLowerInvariant()));
        Assert.Contains("jane.doe@vets.co.uk", variants);
        Assert.Contains("Jane.Doe@Vets.co.uk", variants);
        Assert.Contains("Jane.Doe@vets.co.uk", variants);
        Assert.Contains("JANE.DOE@VETS.CO.UK", variants);
    }

    [Theory]
    [InlineData("2025-11-20", "BVA25", "2025-05-20")]
    [InlineData("2026-05-14", "LVS25", "2025-11-14")]
    [InlineData("2025-09-24", "TFM24", "2024-03-24")]
    [InlineData("2025-09-24", "PARTNER", "2025-03-24")]
    public void SecondaryShowDate_IsSixMonthsEarlier_InTheYearOfItsRef(string eventDate, string showRef, string expected)
    {
        Assert.Equal(DateOnly.Parse(expected, System.Globalization.CultureInfo.InvariantCulture),
            ShowPlanner.SecondaryDate(DateOnly.Parse(eventDate, System.Globalization.CultureInfo.InvariantCulture), showRef));
    }

    [Fact]
    public void SeminarNameVariants_KeepTheKeyText()
    {
        var rng = new Random(2);
        foreach (var title in new[] { "Managing laminitis: evidence and practice", "Analgesia - what's new?", "Top tips for CPR" })
            for (var i = 0; i < 50; i++)
                Assert.Equal(TextKeys.KeyText(title), TextKeys.KeyText(ScanBuilder.VarySeminarName(title, rng)));
    }

    [Fact]
    public void PlaceholderCaseVariants_MatchTheConfigIgnoringCase()
    {
        var rng = new Random(3);
        var variants = Enumerable.Range(0, 100).Select(_ => SessionProgrammeBuilder.VaryCase("session tba", rng)).ToHashSet();
        Assert.All(variants, v => Assert.Equal("session tba", v, ignoreCase: true));
        Assert.Contains("Session TBA", variants);
        Assert.Contains("SESSION TBA", variants);
    }

    [Fact]
    public void PersonaModel_IsAPureFunctionOfTheProfile()
    {
        var profile = GenerationProfile.For(GenerationProfileKind.Vet);
        var streams = profile.Streams.Select(s => s.Name).ToList();
        var first = new PersonaModel(profile, streams).For("Vet/Vet Surgeon", "Equine", "Referral Hospital");
        var second = new PersonaModel(GenerationProfile.For(GenerationProfileKind.Vet), streams)
            .For("Vet/Vet Surgeon", "Equine", "Referral Hospital");
        Assert.Equal(first.StreamWeights, second.StreamWeights);
        Assert.Equal(PersonaModel.PreferredStreamCount, first.PreferredStreams.Count);
        Assert.Equal(first.PreferredStreams, second.PreferredStreams);
    }

    [Fact]
    public void AStreamOnlyTheConfigDescribes_GetsAVocabularyAndMatrixColumns()
    {
        var yaml = ConfigText("vet_lva").Replace(
            "    Welfare: Animal welfare science, ethics and legislation.\n",
            "    Welfare: Animal welfare science, ethics and legislation.\n    Oncology: Cancer in companion animals.\n", StringComparison.Ordinal);
        var config = EventConfigLoader.Parse(yaml, "vet_lva_oncology.yaml");
        var data = ShowDataGenerator.Build(config, new GenerationOptions(50, 1));
        Assert.Equal("Oncology", data.Streams.Names[^1]);
        Assert.Contains(data.Programmes.SelectMany(p => p.Sessions), s => s.Streams.Contains("Oncology"));
    }

    [Fact]
    public void AConfigWithoutPastSecondaryShows_IsRejected()
    {
        var yaml = ConfigText("vet_lva").Replace("shows_last_year_secondary: [BVA25]", "shows_last_year_secondary: []", StringComparison.Ordinal);
        var config = EventConfigLoader.Parse(yaml, "no_secondary.yaml");
        var error = Assert.Throws<PipelineInputException>(() => ShowDataGenerator.Build(config, new GenerationOptions(50, 1)));
        Assert.Equal("event.shows_last_year_secondary", error.Field);
    }

    [Fact]
    public void TwoInputsNamingTheSameFile_AreRejected()
    {
        var yaml = ConfigText("ecomm").Replace("theatre_capacity: teatres.csv", "theatre_capacity: job_to_stream.csv", StringComparison.Ordinal);
        var config = EventConfigLoader.Parse(yaml, "clash.yaml");
        var folder = Path.Combine(Path.GetTempPath(), "pa-generate-clash-" + Guid.NewGuid().ToString("N"));
        var error = Assert.Throws<PipelineInputException>(() => ShowDataGenerator.Generate(config, new GenerationOptions(20, 1), folder));
        Assert.Contains("inputs.job_role_to_stream", error.Message);
        Assert.False(Directory.Exists(folder));
    }

    [Fact]
    public void VisitorsOutOfRange_AreRejectedByTheGeneratorToo()
    {
        var config = GeneratedInputSets.LoadConfig("ecomm");
        Assert.Throws<PipelineInputException>(() => ShowDataGenerator.Build(config, new GenerationOptions(9)));
        Assert.Throws<PipelineInputException>(() => ShowDataGenerator.Build(config, new GenerationOptions(1_000_001)));
    }
}
