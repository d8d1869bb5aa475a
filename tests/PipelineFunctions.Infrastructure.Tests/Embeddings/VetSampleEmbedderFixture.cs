using PipelineFunctions.Infrastructure.Embeddings;

namespace PipelineFunctions.Infrastructure.Tests.Embeddings;

/// <summary>One local embedder fitted on the vet sample sessions, shared by the tests that only read it.</summary>
public sealed class VetSampleEmbedderFixture
{
    public const int Dimensions = 384;
    public const int Seed = 42;

    public IReadOnlyList<SampleSession> Sessions { get; } = SampleSessionTexts.Of("vet_lva");

    public IReadOnlyList<string> Texts => Sessions.Select(s => s.Text).ToList();

    public LocalSessionEmbedder Embedder { get; }

    public IReadOnlyList<float[]> Vectors { get; }

    public VetSampleEmbedderFixture()
    {
        Embedder = LocalSessionEmbedderTrainer.Fit(Texts, Dimensions, Seed);
        Vectors = Embedder.Embed(Texts);
    }
}
