using System.CommandLine;
using Microsoft.Extensions.Logging;
using PipelineFunctions.Core.Artifacts;
using PipelineFunctions.Core.Events;
using PipelineFunctions.Core.Steps.DataPreparation;
using PipelineFunctions.Core.Steps.Recommendations.Ranking;
using PipelineFunctions.Infrastructure.Artifacts;

namespace PipelineFunctions.Local.Commands;

/// <summary>
/// The options and loading shared by `pa evaluate` and `pa train`: the event, its input folder and the store.
/// Step 1 runs on the input into a scratch folder with every past visitor kept (training data, not a run), then
/// last year's sessions are embedded with the event's step-3 generator from the store.
/// </summary>
internal sealed class RankingDataOptions(PaServices services)
{
    public EventConfigOptions Event { get; } = new();
    public Option<string> Input { get; } = new("--input")
    {
        Description = "Folder (or file:// / blob location) holding the event's input files", Required = true,
    };
    public Option<string?> Store { get; } = StoreOptions.Store();
    public Option<bool> Json { get; } = new("--json") { Description = "Print the result as JSON" };
    public Option<bool> Verbose { get; } = new("--verbose") { Description = "Log progress to standard error" };

    public void AddTo(Command command)
    {
        Event.AddTo(command);
        command.Add(Input);
        command.Add(Store);
        command.Add(Json);
        command.Add(Verbose);
    }

    public IArtifactStore OpenStore(ParseResult parseResult) => services.OpenStore(parseResult.GetValue(Store));

    public async Task<RankingDataset> LoadAsync(
        ParseResult parseResult, EventConfig config, IArtifactStore store, ILoggerFactory loggers, CancellationToken cancellationToken) =>
        (await LoadPerGeneratorAsync(parseResult, [config], store, loggers, cancellationToken))[0];

    /// <summary>
    /// One dataset per config (the same event with different embeddings.generator): step 1 runs once, then last year's sessions
    /// are embedded with each config's generator, so every dataset has the same visitors and attendance.
    /// </summary>
    public async Task<IReadOnlyList<RankingDataset>> LoadPerGeneratorAsync(ParseResult parseResult, IReadOnlyList<EventConfig> configs,
        IArtifactStore store, ILoggerFactory loggers, CancellationToken cancellationToken)
    {
        var inputs = ArtifactStoreLocator.Open(parseResult.GetValue(Input)!);
        var scratch = Directory.CreateTempSubdirectory("pa-ranking-");
        try
        {
            var prepared = new FileArtifactStore(scratch.FullName);
            var step = new DataPreparationStep(loggers.CreateLogger<DataPreparationStep>(), TimeProvider.System);
            var result = await step.RunAsync(
                new DataPreparationRequest(configs[0].WithAllPastVisitors(), inputs, prepared, "ranking"), cancellationToken);
            var embedders = services.Embedders(store);
            var datasets = new List<RankingDataset>();
            foreach (var config in configs)
                datasets.Add(await RankingDataset.FromPreparationAsync(config, prepared, result.Manifest, embedders, cancellationToken));
            return datasets;
        }
        finally
        {
            scratch.Delete(recursive: true);
        }
    }
}
