using Microsoft.Extensions.Logging.Abstractions;
using PipelineFunctions.Core.Events;
using PipelineFunctions.Core.Graph;
using PipelineFunctions.Core.Steps.Embeddings;
using PipelineFunctions.Infrastructure.Embeddings;

namespace PipelineFunctions.Benchmarks;

/// <summary>
/// Step 3 with the config's generator: steps 1 and 2 run first (not measured); then the targeted cold run embeds every
/// session (the local embedder fits its model first), a second run finds nothing changed (target: under 1 s), and for
/// the local embedder a refit embeds everything again. Target: 10 s (local), 30 s (minilm) for all sessions of the
/// 50,000-visitor show.
/// </summary>
public static class EmbedBenchmark
{
    public const double TargetSeconds = 10;
    public const double MiniLMTargetSeconds = 30;
    public const long TargetPeakBytes = 1536L << 20;

    /// <param name="offered">Generators beside local and azure_openai the measuring host offers (e.g. minilm); null: none.</param>
    public static async Task<BenchmarkFigures> MeasureAsync(EventConfig config, string dataFolder, CancellationToken cancellationToken,
        IEnumerable<ISessionEmbeddingGeneratorFactory>? offered = null)
    {
        var local = config.Embeddings.Generator == EmbeddingGenerators.Local;
        using var workspace = new BenchmarkWorkspace("embed");
        var prepared = await workspace.PrepareAsync(config, dataFolder, cancellationToken);
        await workspace.GraphAsync(config, prepared.ManifestUri, GraphWriteMode.Full, cancellationToken);

        var step = new EmbeddingStep(NullLogger<EmbeddingStep>.Instance, TimeProvider.System);
        var embedders = new SessionEmbedderProvider(workspace.Store, azureOpenAI: null, offered);
        EmbeddingResult? first = null;
        Func<Task> Run(bool refit) => async () =>
        {
            var result = await step.RunAsync(new EmbeddingRequest(config, workspace.Store, workspace.Graphs, embedders,
                BenchmarkWorkspace.RunId, BenchmarkWorkspace.Environment, refit), cancellationToken);
            first ??= result;
        };
        var measured = new List<BenchmarkRun>
        {
            await BenchmarkTimer.MeasureAsync(local ? "1 (fit + embed all)" : "1 (embed all)", Run(refit: false)),
            await BenchmarkTimer.MeasureAsync("2 (nothing changed)", Run(refit: false)),
        };
        // Only the local embedder has a model to refit.
        if (local) measured.Add(await BenchmarkTimer.MeasureAsync("3 (refit + embed all)", Run(refit: true)));
        var facts = new Dictionary<string, long>(first!.Metadata.Counts.Where(c => c.Key.StartsWith("sessions", StringComparison.Ordinal)))
        {
            ["dimensions"] = first.Metadata.Dimensions,
        };
        return new BenchmarkFigures("embed", config.Event.Name, dataFolder, facts, measured, BenchmarkTimer.PeakWorkingSet(),
            Environment.ProcessorCount, config.Embeddings.Generator == EmbeddingGenerators.MiniLM ? MiniLMTargetSeconds : TargetSeconds,
            TargetPeakBytes);
    }
}
