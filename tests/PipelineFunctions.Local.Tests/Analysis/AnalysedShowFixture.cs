using Microsoft.Extensions.Logging.Abstractions;
using PipelineFunctions.Core.Artifacts;
using PipelineFunctions.Core.Events;
using PipelineFunctions.Core.Steps.Analysis;
using PipelineFunctions.Core.Steps.DataPreparation;
using PipelineFunctions.Core.Steps.Embeddings;
using PipelineFunctions.Core.Steps.GraphPreparation;
using PipelineFunctions.Core.Steps.Recommendations;
using PipelineFunctions.Infrastructure.Artifacts;
using PipelineFunctions.Infrastructure.Embeddings;
using PipelineFunctions.Infrastructure.Graph;
using PipelineFunctions.Local.Tests.Support;
using PipelineFunctions.ShowGenerator;

namespace PipelineFunctions.Local.Tests.Analysis;

/// <summary>
/// The pipeline run once (steps 1 to 4, in process) on a generated show of <see cref="Visitors"/> visitors, so that the default
/// 5 % control group has ~150 visitors; the tests then simulate the show's outcome and analyse it as often as they like.
/// </summary>
public sealed class AnalysedShowFixture : IAsyncLifetime
{
    public const int Visitors = 3000;
    public const string RunId = "r1";

    private readonly TempFolder _temp = new();

    public EventConfig Config { get; } =
        EventConfigLoader.LoadFile(Path.Combine(Repository.Root, "config", "events", "vet_lva.yaml"));

    public string ShowFolder => _temp.Combine("show");
    public string StorePath => _temp.Combine("store");
    public IArtifactStore Store { get; private set; } = null!;
    public Uri RecommendationsManifest { get; private set; } = null!;
    public RecommendationMetadata Recommendations { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        ShowDataGenerator.Generate(Config, new GenerationOptions(Visitors, 3), ShowFolder, CancellationToken.None);
        Store = ArtifactStoreLocator.Open(StorePath);
        var graphs = new SqliteAgendaGraphFactory(_temp.Combine("graph"));
        var prepared = await new DataPreparationStep(NullLogger<DataPreparationStep>.Instance, TimeProvider.System)
            .RunAsync(new DataPreparationRequest(Config, ArtifactStoreLocator.Open(ShowFolder), Store, RunId));
        await new GraphPreparationStep(NullLogger<GraphPreparationStep>.Instance, TimeProvider.System)
            .RunAsync(new GraphPreparationRequest(Config, prepared.ManifestUri, Store, graphs, RunId));
        await new EmbeddingStep(NullLogger<EmbeddingStep>.Instance, TimeProvider.System)
            .RunAsync(new EmbeddingRequest(Config, Store, graphs, new SessionEmbedderProvider(Store, null), RunId));
        var recommended = await new RecommendationStep(NullLogger<RecommendationStep>.Instance, TimeProvider.System)
            .RunAsync(new RecommendationRequest(Config, Store, graphs, prepared.ManifestUri, RunId));
        RecommendationsManifest = recommended.ManifestUri;
        Recommendations = recommended.Metadata;
    }

    /// <summary>This year's scans simulated into <paramref name="folder"/> (default: the show's own folder, beside its session export).</summary>
    public Task<ShowOutcomeSummary> SimulateAsync(double uplift, int seed, string? folder = null) =>
        ShowOutcomeSimulator.GenerateAsync(Config, Store, RecommendationsManifest, ShowFolder, folder ?? ShowFolder,
            new OutcomeOptions(uplift, seed), CancellationToken.None);

    public Task<PostShowAnalysisResult> AnalyseAsync(string? inputFolder = null, EventConfig? config = null, IArtifactStore? store = null,
        string runId = RunId, Microsoft.Extensions.Logging.ILogger<PostShowAnalysisStep>? logger = null) =>
        new PostShowAnalysisStep(logger ?? NullLogger<PostShowAnalysisStep>.Instance, TimeProvider.System)
            .RunAsync(new PostShowAnalysisRequest(config ?? Config, ArtifactStoreLocator.Open(inputFolder ?? ShowFolder), store ?? Store, runId,
                RecommendationsManifest));

    /// <summary>A folder of its own holding the show's session export and whatever the test writes beside it.</summary>
    public string InputFolderWithSessions(string name)
    {
        var folder = _temp.Combine(name);
        Directory.CreateDirectory(folder);
        File.Copy(Path.Combine(ShowFolder, Config.Inputs.SessionsThisYear), Path.Combine(folder, Config.Inputs.SessionsThisYear), overwrite: true);
        return folder;
    }

    public Task DisposeAsync()
    {
        _temp.Dispose();
        return Task.CompletedTask;
    }
}
