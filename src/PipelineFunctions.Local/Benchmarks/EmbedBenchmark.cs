using Microsoft.Extensions.Logging.Abstractions;
using PipelineFunctions.Core.Events;
using PipelineFunctions.Core.Steps.DataPreparation;
using PipelineFunctions.Core.Steps.Embeddings;
using PipelineFunctions.Core.Steps.GraphPreparation;
using PipelineFunctions.Infrastructure.Artifacts;
using PipelineFunctions.Infrastructure.Embeddings;
using PipelineFunctions.Infrastructure.Graph;

namespace PipelineFunctions.Local.Benchmarks;

/// <summary>
/// Step 3 with the local embedder: steps 1 and 2 run first (not measured); then the targeted cold run fits the model
/// and embeds every session, a second run finds nothing changed, and a refit embeds everything again.
/// Target: 10 s for all sessions of the 50,000-visitor show.
/// </summary>
public static class EmbedBenchmark
{
    public const double TargetSeconds = 10;
    public const long TargetPeakBytes = 1536L << 20;

    public static async Task<BenchmarkFigures> MeasureAsync(EventConfig config, string dataFolder, CancellationToken cancellationToken)
    {
        var scratch = Directory.CreateTempSubdirectory("pa-bench-embed-");
        try
        {
            var store = ArtifactStoreLocator.Open(Path.Combine(scratch.FullName, "store"));
            var graphs = new SqliteAgendaGraphFactory(Path.Combine(scratch.FullName, "graph"));
            var prepared = await new DataPreparationStep(NullLogger<DataPreparationStep>.Instance, TimeProvider.System)
                .RunAsync(new DataPreparationRequest(config, ArtifactStoreLocator.Open(dataFolder), store, "bench"), cancellationToken);
            await new GraphPreparationStep(NullLogger<GraphPreparationStep>.Instance, TimeProvider.System)
                .RunAsync(new GraphPreparationRequest(config, prepared.ManifestUri, store, graphs, "bench", "dev"), cancellationToken);

            var step = new EmbeddingStep(NullLogger<EmbeddingStep>.Instance, TimeProvider.System);
            var embedders = new SessionEmbedderProvider(store, azureOpenAI: null);
            EmbeddingResult? first = null;
            Func<Task> Run(bool refit, bool keep = false) => async () =>
            {
                var result = await step.RunAsync(new EmbeddingRequest(config, store, graphs, embedders, "bench", "dev", refit), cancellationToken);
                if (keep) first = result;
            };
            var measured = new List<BenchmarkRun>
            {
                await BenchmarkTimer.MeasureAsync("1 (fit + embed all)", Run(refit: false, keep: true)),
                await BenchmarkTimer.MeasureAsync("2 (nothing changed)", Run(refit: false)),
                await BenchmarkTimer.MeasureAsync("3 (refit + embed all)", Run(refit: true)),
            };
            var facts = new Dictionary<string, long>(first!.Metadata.Counts.Where(c => c.Key.StartsWith("sessions", StringComparison.Ordinal)))
            {
                ["dimensions"] = first.Metadata.Dimensions,
            };
            return new BenchmarkFigures("embed", config.Event.Name, dataFolder, facts, measured, BenchmarkTimer.PeakWorkingSet(),
                Environment.ProcessorCount, TargetSeconds, TargetPeakBytes);
        }
        finally
        {
            scratch.Delete(recursive: true);
        }
    }
}
