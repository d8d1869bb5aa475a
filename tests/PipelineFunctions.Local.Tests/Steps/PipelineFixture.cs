using System.Globalization;
using CsvHelper;
using Microsoft.Extensions.Logging.Abstractions;
using PipelineFunctions.Core.Artifacts;
using PipelineFunctions.Core.Events;
using PipelineFunctions.Core.Graph;
using PipelineFunctions.Core.Orchestration;
using PipelineFunctions.Core.Steps.DataPreparation;
using PipelineFunctions.Core.Steps.GraphPreparation;
using PipelineFunctions.Infrastructure.Artifacts;
using PipelineFunctions.Infrastructure.Graph;
using PipelineFunctions.Local.Tests.Support;
using PipelineFunctions.LocalEngine;
using PipelineFunctions.ShowGenerator;

namespace PipelineFunctions.Local.Tests.Steps;

/// <summary>A temporary file store and graph folder, with helpers to run steps 1 and 2 on a committed sample.</summary>
public sealed class PipelineFixture : IDisposable
{
    private readonly TempFolder _temp = new();

    public PipelineFixture(string eventName = "vet_lva")
    {
        Config = EventConfigLoader.LoadFile(Path.Combine(Repository.Root, "config", "events", eventName + ".yaml"));
        Store = ArtifactStoreLocator.Open(_temp.Combine("store"));
        Graphs = new SqliteAgendaGraphFactory(_temp.Combine("graph"));
        Inputs = ArtifactStoreLocator.Open(Repository.Sample(eventName));
    }

    public EventConfig Config { get; }
    public IArtifactStore Store { get; }
    public IArtifactStore Inputs { get; }
    public IAgendaGraphFactory Graphs { get; }
    public string TempPath => _temp.Path;

    public GraphIdentity Identity(string environment = "dev") => GraphPreparationStep.Identity(Config, environment);

    /// <param name="inputFolder">Null: the committed sample.</param>
    public Task<DataPreparationResult> PrepareAsync(string runId = "r1", string? inputFolder = null) =>
        new DataPreparationStep(NullLogger<DataPreparationStep>.Instance, TimeProvider.System)
            .RunAsync(new DataPreparationRequest(Config, inputFolder is null ? Inputs : ArtifactStoreLocator.Open(inputFolder), Store, runId));

    /// <summary>The services the activities run on, over this fixture's store and graph (the local host's defaults).</summary>
    public IPipelineServices Services() =>
        new LocalPipelineServices(Store, Graphs, Repository.Root, LocalPipelineServices.OpenAnyInput, NullLoggerFactory.Instance,
            TimeProvider.System);

    /// <summary>A generated show of the fixture's event in a folder of its own.</summary>
    public string Generate(int visitors, int seed = 1)
    {
        var folder = _temp.Combine($"generated-{visitors}-{seed}");
        ShowDataGenerator.Generate(Config, new GenerationOptions(visitors, seed), folder, CancellationToken.None);
        return folder;
    }

    public Task<GraphPreparationResult> GraphAsync(Uri manifest, string runId = "r1", GraphWriteMode? mode = null, string? environment = null) =>
        new GraphPreparationStep(NullLogger<GraphPreparationStep>.Instance, TimeProvider.System)
            .RunAsync(new GraphPreparationRequest(Config, manifest, Store, Graphs, runId, environment, mode));

    /// <summary>A step-1 CSV as rows keyed by column, read independently of the step's own reader.</summary>
    public async Task<List<Dictionary<string, string>>> ReadCsvAsync(ArtifactManifest manifest, string name)
    {
        Assert.True(Store.TryGetPath(manifest.Output(name).Uri, out var path));
        await using var stream = await Store.OpenReadAsync(path);
        using var reader = new StreamReader(stream);
        using var csv = new CsvReader(reader, CultureInfo.InvariantCulture);
        var rows = new List<Dictionary<string, string>>();
        await csv.ReadAsync();
        csv.ReadHeader();
        while (await csv.ReadAsync())
            rows.Add(csv.HeaderRecord!.ToDictionary(h => h, h => csv.GetField(h) ?? ""));
        return rows;
    }

    public void Dispose() => _temp.Dispose();
}
