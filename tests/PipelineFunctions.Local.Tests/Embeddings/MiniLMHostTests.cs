using System.Text.Json;
using PipelineFunctions.Core;
using PipelineFunctions.Core.Events;
using PipelineFunctions.Core.Orchestration;
using PipelineFunctions.Embeddings.MiniLM;
using PipelineFunctions.Infrastructure.Artifacts;
using PipelineFunctions.Infrastructure.Embeddings;
using PipelineFunctions.Local.Commands;
using PipelineFunctions.Local.Tests.Steps;
using PipelineFunctions.Local.Tests.Support;

namespace PipelineFunctions.Local.Tests.Embeddings;

/// <summary>embeddings.generator: minilm in a host that offers it (pa) and in one that does not.</summary>
public sealed class MiniLMHostTests : IDisposable
{
    private readonly TempFolder _temp = new();

    public void Dispose() => _temp.Dispose();

    private static EventConfig MiniLMConfig() => EventConfigLoader.LoadFile(Path.Combine(Repository.Root, "config", "events", "vet_lva.yaml"),
        new Dictionary<string, string> { ["embeddings.generator"] = "minilm" });

    [Fact]
    public async Task A_host_offering_minilm_opens_it_by_model_id_and_one_without_it_names_the_setting()
    {
        var store = ArtifactStoreLocator.Open(_temp.Combine("store"));
        var offering = new SessionEmbedderProvider(store, null, [new MiniLMEmbeddingGeneratorFactory()]);

        using var planned = await offering.GetAsync(MiniLMConfig(), [], refit: false, CancellationToken.None);
        using var opened = await offering.OpenAsync(MiniLMConfig(), planned.ModelId, CancellationToken.None);
        Assert.Equal((MiniLMEmbeddingGenerator.ModelId, 384), (planned.ModelId, planned.Dimensions));
        Assert.Equal(planned.ModelId, opened.ModelId);
        Assert.Null(offering.UnavailableReason(MiniLMConfig()));

        var without = new SessionEmbedderProvider(store, null);
        var error = await Assert.ThrowsAsync<PipelineInputException>(() => without.GetAsync(MiniLMConfig(), [], false, CancellationToken.None));
        Assert.Equal("embeddings.generator", error.Field);
        Assert.Contains("does not offer", error.Message);
        Assert.Equal(error.Problem, without.UnavailableReason(MiniLMConfig()));
    }

    [Fact]
    public async Task A_run_asking_for_minilm_in_a_host_without_it_fails_at_its_plan_naming_embeddings_generator()
    {
        using var pipeline = new PipelineFixture();
        var driver = new ActivityDriver(pipeline.Services());
        var request = new PipelineRunRequest("vet_lva", Repository.Sample("vet_lva"),
            Parameters: new Dictionary<string, string> { ["embeddings.generator"] = "minilm" });

        var error = await Assert.ThrowsAsync<PipelineInputException>(() => driver.PrepareAsync(request, "no-minilm"));

        Assert.Equal("embeddings.generator", error.Field);
        Assert.Contains("minilm", error.Message);
        // Nothing ran: the plan refused the run before step 1.
        Assert.False(Directory.Exists(Path.Combine(pipeline.TempPath, "store", "runs", "vet_lva", "no-minilm")));
    }

    [Fact]
    public async Task Pa_runs_the_pipeline_with_minilm_and_a_second_run_with_nothing_changed_reuses_every_step()
    {
        string[] Run(string id) =>
        [
            "run", "--event", "vet_lva", "--input", Repository.Sample("vet_lva"), "--set", "embeddings.generator=minilm", "--instance-id", id,
            "--store", _temp.Combine("store"), "--graph", _temp.Combine("graph"), "--runs", _temp.Combine("runs.sqlite"), "--json",
        ];

        var (first, firstError) = await PaAsync(Run("first"));
        var (second, secondError) = await PaAsync(Run("second"));

        Assert.True(first is not null, firstError);
        Assert.True(second is not null, secondError);
        var embeddings = first.RootElement.GetProperty("steps").EnumerateArray().Single(s => s.GetProperty("step").GetString() == "embeddings");
        Assert.Equal("succeeded", embeddings.GetProperty("status").GetString());
        Assert.All(second.RootElement.GetProperty("steps").EnumerateArray(), s => Assert.Equal("reused", s.GetProperty("status").GetString()));
        var metadata = Directory.GetFiles(Path.Combine(_temp.Combine("store"), "runs", "vet_lva", "first", "embeddings"), "metadata.json").Single();
        using var written = JsonDocument.Parse(File.ReadAllText(metadata));
        Assert.Equal(MiniLMEmbeddingGenerator.ModelId, written.RootElement.GetProperty("modelId").GetString());
        Assert.Equal(384, written.RootElement.GetProperty("dimensions").GetInt32());
    }

    private static async Task<(JsonDocument? Summary, string Error)> PaAsync(string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        var exit = await PaCommandLine.RunAsync(args, output, error);
        return (exit == 0 ? JsonDocument.Parse(output.ToString()) : null, error.ToString());
    }
}
