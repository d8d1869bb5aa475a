using PipelineFunctions.Core.Steps;
using PipelineFunctions.Core.Tests.Support;

namespace PipelineFunctions.Core.Tests.Steps;

public sealed class RunLocatorTests
{
    private readonly InMemoryArtifactStore _store = new();

    [Fact]
    public async Task A_run_with_the_step_gives_its_manifest()
    {
        _store.Add("runs/vet_lva/r1/recommendations/manifest.json", "{}"u8.ToArray());

        var uri = await RunLocator.FindStepManifestAsync(_store, "vet_lva", "recommendations", "r1", CancellationToken.None);

        Assert.Equal(new Uri("memory://store/runs/vet_lva/r1/recommendations/manifest.json"), uri);
    }

    [Fact]
    public async Task An_unknown_run_and_a_run_that_stopped_before_the_step_get_different_messages()
    {
        _store.Add("runs/vet_lva/half/data_preparation/manifest.json", "{}"u8.ToArray());
        // The same run id under another event is still no run of this event.
        _store.Add("runs/ecomm/nobody/recommendations/manifest.json", "{}"u8.ToArray());

        var unknown = await Assert.ThrowsAsync<PipelineInputException>(() =>
            RunLocator.FindStepManifestAsync(_store, "vet_lva", "recommendations", "nobody", CancellationToken.None));
        var stopped = await Assert.ThrowsAsync<PipelineInputException>(() =>
            RunLocator.FindStepManifestAsync(_store, "vet_lva", "recommendations", "half", CancellationToken.None, "no agendas to analyse"));

        Assert.Contains("no run 'nobody' of event 'vet_lva'", unknown.Message);
        Assert.Contains("run 'half' has no completed recommendations step", stopped.Message);
        Assert.Contains("no agendas to analyse", stopped.Message);
        Assert.DoesNotContain("no run", stopped.Message);
    }
}
