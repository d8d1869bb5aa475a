using System.Text.Json;
using PipelineFunctions.Core.Artifacts;
using PipelineFunctions.Core.Graph;
using PipelineFunctions.Core.Orchestration;
using PipelineFunctions.Core.Steps.GraphPreparation;
using PipelineFunctions.Local.Tests.Support;

namespace PipelineFunctions.Local.Tests.Steps;

/// <summary>
/// Step 2 as the orchestration runs it: a plan, five processors in two parts of one wave each (each part an activity with
/// only small messages) and a fan-in, against the same step run in one process.
/// </summary>
public sealed class GraphPreparationFanOutTests : IDisposable
{
    private readonly PipelineFixture _fannedOut = new();
    private readonly PipelineFixture _inProcess = new();

    public void Dispose()
    {
        _fannedOut.Dispose();
        _inProcess.Dispose();
    }

    [Theory]
    [InlineData(0)] // the committed sample
    [InlineData(4000)] // a generated show
    public async Task The_fanned_out_step_builds_the_same_graph_as_the_step_run_in_one_process(int generatedVisitors)
    {
        var input = generatedVisitors == 0 ? Repository.Sample("vet_lva") : _fannedOut.Generate(generatedVisitors);
        var driver = new ActivityDriver(_fannedOut.Services());
        var (outcome, plan, parts) = await driver.RunStepAsync(await driver.PrepareAsync(new PipelineRunRequest("vet_lva", input), "r1"));

        Assert.Equal([2, 2], plan.Waves);
        Assert.Equal("processor groups", plan.Unit);
        Assert.Equal(StepStatuses.Succeeded, outcome.Status);
        Assert.All(parts, p => Assert.False(p.Reused));
        // A part's counts are those of its processors: the past and this year's visitor labels, then the stream links, then
        // the visitor relationships.
        var identity = _fannedOut.Identity();
        Assert.Contains(GraphLabels.Visitor(VisitorKind.PastMain, identity.MainEventName, identity.SecondaryEventName),
            parts[0].Counts.Keys);
        Assert.Contains(GraphLabels.VisitorThisYear, parts[1].Counts.Keys);
        Assert.Contains(GraphLabels.JobToStream, parts[2].Counts.Keys);
        Assert.Contains(GraphLabels.SameVisitor, parts[3].Counts.Keys);
        Assert.All(driver.Messages, m => Assert.True(m.Bytes < RunStatusLimits.ActivityMessageBytes, $"{m.Activity}: {m.Bytes} bytes"));

        var prepared = await _inProcess.PrepareAsync(inputFolder: input);
        var direct = await _inProcess.GraphAsync(prepared.ManifestUri);
        await using (var fannedGraph = await _fannedOut.Graphs.OpenAsync(_fannedOut.Identity()))
        await using (var directGraph = await _inProcess.Graphs.OpenAsync(_inProcess.Identity()))
            Assert.Equal(await GraphDump.ReadAsync(directGraph), await GraphDump.ReadAsync(fannedGraph));

        // The same metadata and manifest shape: every processor's writes and counts, the graph's counts, step 1's inputs.
        var metadata = await ReadMetadataAsync(outcome);
        Assert.Equal(JsonSerializer.Serialize(direct.Metadata.Processors.ToDictionary(p => p.Key, p => (p.Value.Writes, p.Value.Counts))),
            JsonSerializer.Serialize(metadata.Processors.ToDictionary(p => p.Key, p => (p.Value.Writes, p.Value.Counts))));
        Assert.Equal(JsonSerializer.Serialize(direct.Metadata.Graph), JsonSerializer.Serialize(metadata.Graph));
        Assert.Equal(direct.Manifest.Inputs.Select(i => (i.Name, i.Sha256)), outcome.Inputs.Select(i => (i.Name, i.Sha256)));
        Assert.Equal(11, outcome.Inputs.Count);
        Assert.Equal(metadata.Graph.Nodes[GraphLabels.VisitorThisYear], outcome.Metrics["nodes:" + GraphLabels.VisitorThisYear]);
    }

    [Fact]
    public async Task A_processor_run_again_writes_nothing_twice()
    {
        var driver = new ActivityDriver(_fannedOut.Services());
        var input = await driver.PrepareAsync(new PipelineRunRequest("vet_lva", Repository.Sample("vet_lva")), "r1");
        var (_, plan, _) = await driver.RunStepAsync(input);
        var before = await DumpAsync();

        // A retry of a finished processor of the same plan (its completion lost): its result, and the graph untouched.
        var again = await driver.PartAsync(input, plan, 1, 0);
        Assert.True(again.Reused);
        Assert.Equal(before, await DumpAsync());

        // A new plan runs every processor again: keyed merges, so nothing is added (full mode replaces this year's
        // sessions, by design: as many created as deleted) and the graph is the same.
        var forced = input with { Plan = input.Plan with { Force = true } };
        var (outcome, replan, parts) = await driver.RunStepAsync(forced);
        Assert.NotEqual(plan.StartedAt, replan.StartedAt);
        Assert.All(parts, p => Assert.False(p.Reused));
        var writes = (await ReadMetadataAsync(outcome)).Processors.Values.SelectMany(p => p.Writes).ToList();
        Assert.All(writes, w => Assert.Equal(w.Key == GraphLabels.SessionsThisYear ? w.Value.Deleted : 0, w.Value.Created));
        Assert.Contains(writes, w => w.Value.Skipped > 0);
        Assert.Equal(before, await DumpAsync());
    }

    [Fact]
    public async Task The_fan_in_refuses_to_publish_before_every_processor_has_run()
    {
        var driver = new ActivityDriver(_fannedOut.Services());
        var input = await driver.PrepareAsync(new PipelineRunRequest("vet_lva", Repository.Sample("vet_lva")), "r1");
        var plan = await driver.BeginAsync(input);
        await driver.PartAsync(input, plan, 0, 0);

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => driver.FinishAsync(input, plan));
        Assert.Contains("visitors", error.Message);
        Assert.False(await _fannedOut.Store.ExistsAsync(ArtifactPath.Parse("runs/vet_lva/r1/graph_preparation/manifest.json")));
    }

    private async Task<string> DumpAsync()
    {
        await using var graph = await _fannedOut.Graphs.OpenAsync(_fannedOut.Identity());
        return await GraphDump.ReadAsync(graph);
    }

    private async Task<GraphPreparationMetadata> ReadMetadataAsync(StepOutcome outcome)
    {
        Assert.True(_fannedOut.Store.TryGetPath(outcome.Outputs.Single(o => o.Name == GraphPreparationStep.MetadataName).Uri, out var path));
        await using var stream = await _fannedOut.Store.OpenReadAsync(path);
        return (await JsonSerializer.DeserializeAsync<GraphPreparationMetadata>(stream, PipelineJson.Options))!;
    }
}
