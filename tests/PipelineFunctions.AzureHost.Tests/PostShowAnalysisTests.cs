using System.Net;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.DependencyInjection;
using PipelineFunctions.AzureHost.Tests.Support;
using PipelineFunctions.Core.Orchestration;
using PipelineFunctions.Core.Steps.Analysis;
using PipelineFunctions.Functions;
using PipelineFunctions.Infrastructure.Tests.Artifacts;
using PipelineFunctions.ShowGenerator;

namespace PipelineFunctions.AzureHost.Tests;

/// <summary>
/// After the show, over HTTP on the real Durable Task engine: this year's scans uploaded beside the inputs, and a submission
/// with <c>"analyse": true</c> reuses the four steps and adds the analysis of the agendas they sent.
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed class PostShowAnalysisTests(AzuriteFixture azurite)
{
    private const string Event = "vet_lva";

    [Fact]
    public async Task A_submission_with_analyse_reuses_the_four_steps_and_writes_the_analysis_to_the_artifact_store()
    {
        await using var host = await FunctionsTestHost.StartAsync(azurite);
        var http = ActivatorUtilities.CreateInstance<PipelineHttpFunctions>(host.Services);
        async Task<OrchestrationMetadata> SubmitAsync(string body, string id)
        {
            var request = TestHttp.Post(host.Services, $"http://localhost:7071/api/pipelines/{Event}/runs", body);
            Assert.Equal(HttpStatusCode.Accepted, (await http.StartAsync(request, Event, host.Client, TestHttp.ContextOf(request))).StatusCode);
            var finished = await host.WaitAsync(id);
            Assert.True(finished.RuntimeStatus == OrchestrationRuntimeStatus.Completed, finished.FailureDetails?.ErrorMessage);
            return finished;
        }
        var before = (await SubmitAsync("""{"input": "vet_lva", "instanceId": "before-the-show"}""", "before-the-show")).ReadOutputAs<RunSummary>()!;

        // The show happens: its scans, simulated from the agendas sent, are uploaded beside the other inputs.
        var config = host.Services.GetRequiredService<IPipelineServices>().LoadConfig(Event, null);
        var scans = Directory.CreateTempSubdirectory("pa-scans-").FullName;
        try
        {
            await ShowOutcomeSimulator.GenerateAsync(config, host.Store, before.Steps[^1].ManifestUri!, Path.Combine(AzureHostPaths.Samples, Event),
                scans, new OutcomeOptions(0.2, 7), CancellationToken.None);
            await host.UploadInputAsync(scans, FunctionsTestHost.SampleInput);
        }
        finally
        {
            Directory.Delete(scans, recursive: true);
        }

        var after = (await SubmitAsync("""{"input": "vet_lva", "instanceId": "after-the-show", "analyse": true}""", "after-the-show"))
            .ReadOutputAs<RunSummary>()!;

        Assert.Equal([.. PipelineSteps.All, PipelineSteps.PostShowAnalysis], after.Steps.Select(s => s.Step));
        Assert.All(after.Steps.Take(4), s => Assert.Equal(("before-the-show", StepStatuses.Reused), (s.ReusedFromRunId, s.Status)));
        var analysis = after.Steps[^1];
        Assert.Equal(StepStatuses.Succeeded, analysis.Status);
        Assert.Equal(1, host.Functions.Invocations[PipelineActivityNames.AnalysePostShow]);
        Assert.True(host.Store.TryGetPath(analysis.ManifestUri!, out var manifest), $"{analysis.ManifestUri} is not in the artifact store");
        var folder = PostShowAnalysisStep.OutputFolder(Event, "after-the-show");
        Assert.Equal(folder.Combine("manifest.json"), manifest);
        var json = analysis.Outputs.Single(o => o.Name == PostShowAnalysisStep.AnalysisJson);
        Assert.Equal(host.Store.GetUri(folder.Combine(PostShowAnalysisStep.AnalysisJson)), json.Uri);
        Assert.Equal(json.Sha256, await host.Store.GetContentHashAsync(folder.Combine(PostShowAnalysisStep.AnalysisJson)));
        Assert.Contains(analysis.Outputs, o => o.Name == PostShowAnalysisStep.AnalysisCsvName);
        Assert.True(analysis.Metrics["control_visitors"] > 0, string.Join(", ", analysis.Metrics));
    }
}
