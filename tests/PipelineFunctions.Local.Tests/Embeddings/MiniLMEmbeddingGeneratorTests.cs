using System.Numerics.Tensors;
using PipelineFunctions.Embeddings.MiniLM;

namespace PipelineFunctions.Local.Tests.Embeddings;

/// <summary>The minilm generator on real text through the packaged ONNX model, offline.</summary>
public sealed class MiniLMEmbeddingGeneratorTests
{
    [Fact]
    public async Task Gives_the_models_published_similarity_as_unit_vectors_of_384_dimensions()
    {
        using var generator = new MiniLMEmbeddingGenerator();

        var vectors = await generator.GenerateAsync(["A man is eating food.", "A man is eating a piece of bread."]);

        Assert.All(vectors, v => Assert.Equal(MiniLMEmbeddingGenerator.Dimensions, v.Vector.Length));
        Assert.All(vectors, v => Assert.Equal(1.0, TensorPrimitives.Norm(v.Vector.Span), 4));
        // The value sentence-transformers publishes for all-MiniLM-L6-v2 on this pair.
        Assert.Equal(0.7553, TensorPrimitives.CosineSimilarity(vectors[0].Vector.Span, vectors[1].Vector.Span), 4);
        Assert.All(vectors, v => Assert.Equal(MiniLMEmbeddingGenerator.ModelId, v.ModelId));
    }

    [Fact]
    public async Task Concurrent_calls_share_the_model_and_each_text_keeps_its_own_vector_whatever_it_is_grouped_with()
    {
        using var generator = new MiniLMEmbeddingGenerator();
        // More texts than one group, of very different lengths, so sorting by length reorders them across groups.
        var texts = Enumerable.Range(0, MiniLMEmbeddingGenerator.GroupSize + 5)
            .Select(i => string.Join(' ', Enumerable.Repeat($"feline cardiology case {i}", 1 + (i * 7 % 11)))).ToArray();

        var together = await generator.GenerateAsync(texts);
        var alone = await Task.WhenAll(texts.Select(t => Task.Run(() => generator.GenerateAsync([t]))));

        Assert.Equal(texts.Length, together.Count);
        for (var i = 0; i < texts.Length; i++)
            Assert.True(TensorPrimitives.CosineSimilarity(together[i].Vector.Span, alone[i][0].Vector.Span) > 0.9999, $"text {i}");
        // And distinct texts get distinct vectors (not one vector copied to every slot).
        Assert.True(TensorPrimitives.CosineSimilarity(together[0].Vector.Span, together[^1].Vector.Span) < 0.999);
    }
}
