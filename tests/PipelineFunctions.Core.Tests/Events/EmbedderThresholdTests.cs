using PipelineFunctions.Core.Events;
using PipelineFunctions.Core.Tests.Support;

namespace PipelineFunctions.Core.Tests.Events;

/// <summary>recommendation.min_similarity_score per embedder, and what applies to minilm, on the shipped vet_lva config.</summary>
public sealed class EmbedderThresholdTests
{
    private static string Shipped => File.ReadAllText(RepositoryPaths.EventConfig("vet_lva"));

    private static EventConfig Parse(string yaml) => EventConfigLoader.Parse(yaml, "vet_lva.yaml");

    /// <summary>The shipped config with its thresholds per generator replaced by <paramref name="line"/>.</summary>
    private static string WithThresholds(string line)
    {
        const string shipped = "min_similarity_score_by_generator: { local: 0.05 }";
        Assert.Contains(shipped, Shipped);
        return Shipped.Replace(shipped, line, StringComparison.Ordinal);
    }

    [Fact]
    public void The_shipped_threshold_is_minilms_and_the_local_embedder_has_its_own_lower_one()
    {
        var config = Parse(Shipped);

        Assert.Equal(config.Recommendation.MinSimilarityScore, config.Recommendation.MinSimilarityScoreFor("minilm"));
        Assert.Equal(config.Recommendation.MinSimilarityScore, config.Recommendation.MinSimilarityScoreFor("azure_openai"));
        // The local embedder's cosines sit lower (nearest neighbours near 0.26 against 0.64): its threshold must too.
        Assert.True(config.Recommendation.MinSimilarityScoreFor("local") < config.Recommendation.MinSimilarityScore);
    }

    [Fact]
    public void A_config_without_thresholds_per_generator_keeps_its_one_threshold_for_every_generator()
    {
        var yaml = string.Join('\n', Shipped.Split('\n').Where(l => !l.TrimStart().StartsWith("min_similarity_score_by_generator:",
            StringComparison.Ordinal)));
        var config = Parse(yaml);

        Assert.Empty(config.Recommendation.MinSimilarityScoreByGenerator);
        foreach (var generator in EmbeddingGenerators.All)
            Assert.Equal(config.Recommendation.MinSimilarityScore, config.Recommendation.MinSimilarityScoreFor(generator));
    }

    [Fact]
    public void Thresholds_per_generator_override_the_default_and_min_similarity_score_for_the_generators_they_name()
    {
        var config = Parse(WithThresholds("min_similarity_score_by_generator:\n    minilm: 0.7\n    azure_openai: 0.45"));

        Assert.Equal(0.7, config.Recommendation.MinSimilarityScoreFor("minilm"));
        Assert.Equal(0.45, config.Recommendation.MinSimilarityScoreFor("azure_openai"));
        Assert.Equal(0.3, config.Recommendation.MinSimilarityScoreFor("local"));
    }

    [Theory]
    [InlineData("min_similarity_score_by_generator: { local: 0.05, bert: 0.5 }",
        "recommendation.min_similarity_score_by_generator.bert", "names no generator: use one of local, azure_openai, minilm")]
    [InlineData("min_similarity_score_by_generator: { local: 0.05, minilm: 1.5 }",
        "recommendation.min_similarity_score_by_generator.minilm", "must be between 0 and 1")]
    public void A_bad_threshold_per_generator_is_one_clear_error_naming_it(string line, string field, string problem)
    {
        var error = Assert.Throws<PipelineInputException>(() => Parse(WithThresholds(line)));

        Assert.Equal(field, error.Field);
        Assert.Contains(problem, error.Message);
    }

    [Fact]
    public void Minilm_is_a_generator_and_its_dimensions_are_the_models()
    {
        var minilm = Parse(Shipped.Replace("  generator: local\n", "  generator: minilm\n", StringComparison.Ordinal));
        Assert.Equal("minilm", minilm.Embeddings.Generator);

        var error = Assert.Throws<PipelineInputException>(() =>
            Parse(Shipped.Replace("  generator: local\n  dimensions: 384\n", "  generator: minilm\n  dimensions: 256\n", StringComparison.Ordinal)));
        Assert.Equal("embeddings.dimensions", error.Field);
        Assert.Contains("minilm's vectors have 384 dimensions", error.Message);

        var unknown = Assert.Throws<PipelineInputException>(() =>
            Parse(Shipped.Replace("  generator: local\n", "  generator: bert\n", StringComparison.Ordinal)));
        Assert.Equal("embeddings.generator", unknown.Field);
        Assert.Contains("must be one of local, azure_openai, minilm", unknown.Message);
    }
}
