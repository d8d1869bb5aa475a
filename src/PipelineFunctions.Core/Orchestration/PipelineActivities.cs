using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using PipelineFunctions.Core.Artifacts;
using PipelineFunctions.Core.Events;
using PipelineFunctions.Core.Graph;
using PipelineFunctions.Core.Steps;
using PipelineFunctions.Core.Steps.DataPreparation;
using PipelineFunctions.Core.Steps.Embeddings;
using PipelineFunctions.Core.Steps.GraphPreparation;
using PipelineFunctions.Core.Steps.Recommendations;
using PipelineFunctions.Core.Steps.Recommendations.Ranking;

namespace PipelineFunctions.Core.Orchestration;

/// <summary>
/// The activities the orchestration calls, one method each, shared by both hosts (an Azure activity function or the
/// local runner is a one-line call into here). Every step activity first computes its fingerprint (code version,
/// config, the inputs' hashes or the previous step's fingerprint, parameters): when an earlier successful run had
/// the same one, and for graph steps the graph still holds what that run wrote, it returns that run's outcome as
/// <c>reused</c> instead of running (unless the request forces a rerun). Outputs go to deterministic paths and graph
/// writes are keyed merges, so an activity retried or replayed after a crash does its work again without duplicates.
/// </summary>
public sealed class PipelineActivities(IPipelineServices services)
{
    public const string OutcomeFile = "outcome.json", RunSummaryFile = "run_summary.json";

    /// <summary>Validates the request against the event's config and fixes what the run will do.</summary>
    public Task<RunPlan> PlanRunAsync(PipelineRunInput input, CancellationToken cancellationToken = default)
    {
        var config = RunRequestValidation.Validate(input.Request, services.LoadConfig);
        if (!ArtifactPath.TryParse($"runs/{config.Event.Name}/{input.RunId}", out _, out var problem) || input.RunId.Contains('/'))
            throw new PipelineInputException("run id", $"'{input.RunId}' cannot name a run folder: {problem}");
        var needsGraph = input.Request.Retrain || input.Request.StepsToRun.Any(step => step != PipelineSteps.DataPreparation);
        if (needsGraph && services.Graphs.UnavailableReason is { } unavailable)
            throw new PipelineInputException("graph", unavailable, field: "graph");
        var orchestration = config.Orchestration;
        var retries = new Dictionary<string, ActivityRetryPolicy>
        {
            [PipelineSteps.DataPreparation] = Policy(orchestration.DataPreparation),
            [PipelineSteps.GraphPreparation] = Policy(orchestration.GraphPreparation),
            [PipelineSteps.Embeddings] = Policy(orchestration.Embeddings),
            [PipelineSteps.Recommendations] = Policy(orchestration.Recommendations),
            ["retraining"] = Policy(orchestration.Retraining),
        };
        var request = input.Request;
        return Task.FromResult(new RunPlan(input.RunId, config.Event.Name, request.StepsToRun, request.GraphEnvironment ?? config.Graph.Environment,
            request.Incremental, request.Force, request.Retrain, retries, ConfigHash(config)));
    }

    public async Task<StepOutcome> PrepareDataAsync(StepActivityInput input, CancellationToken cancellationToken = default)
    {
        var config = Config(input);
        var inputs = services.OpenInput(input.Run.Request.Input);
        var inputHashes = new List<string>();
        await foreach (var file in inputs.ListAsync("", cancellationToken))
            inputHashes.Add($"{file.Path.Value}:{await inputs.GetContentHashAsync(file.Path, cancellationToken)}");
        var fingerprint = Fingerprint(input, inputHashes.ToArray());
        return await ReuseOrRunAsync(input, config, fingerprint, graphStep: false, async () =>
        {
            var step = new DataPreparationStep(services.Loggers.CreateLogger<DataPreparationStep>(), services.Time);
            var result = await step.RunAsync(new DataPreparationRequest(config, inputs, services.Store, input.Plan.RunId), cancellationToken);
            var registrations = result.Metadata.Processors.GetValueOrDefault("registrations")?.Counts ?? new Dictionary<string, long>();
            var metrics = registrations.Where(c => c.Key.StartsWith("visitors_", StringComparison.Ordinal)).ToDictionary(c => c.Key, c => c.Value);
            metrics["quarantined_sessions"] = result.Metadata.QuarantinedCount;
            metrics["warnings"] = result.Metadata.Warnings.Count;
            return (result.ManifestUri, result.Manifest, (IReadOnlyDictionary<string, long>)metrics);
        }, cancellationToken);
    }

    public async Task<StepOutcome> PrepareGraphAsync(StepActivityInput input, CancellationToken cancellationToken = default)
    {
        var config = Config(input);
        var prepared = Previous(input, PipelineSteps.DataPreparation);
        var fingerprint = Fingerprint(input, prepared.Fingerprint, input.Plan.Environment, input.Plan.Incremental ? "incremental" : "full");
        return await ReuseOrRunAsync(input, config, fingerprint, graphStep: true, async () =>
        {
            var step = new GraphPreparationStep(services.Loggers.CreateLogger<GraphPreparationStep>(), services.Time);
            var result = await step.RunAsync(new GraphPreparationRequest(config, prepared.ManifestUri!, services.Store, services.Graphs, input.Plan.RunId,
                input.Plan.Environment, input.Plan.Incremental ? GraphWriteMode.Incremental : GraphWriteMode.Full), cancellationToken);
            var metrics = result.Metadata.Graph.Nodes.ToDictionary(n => "nodes:" + n.Key, n => n.Value);
            metrics["relationships"] = result.Metadata.Graph.Relationships.Values.Sum();
            return (result.ManifestUri, result.Manifest, (IReadOnlyDictionary<string, long>)metrics);
        }, cancellationToken);
    }

    public async Task<StepOutcome> EmbedSessionsAsync(StepActivityInput input, CancellationToken cancellationToken = default)
    {
        var config = Config(input);
        var graph = Previous(input, PipelineSteps.GraphPreparation);
        var fingerprint = Fingerprint(input, graph.Fingerprint, input.Plan.Environment);
        return await ReuseOrRunAsync(input, config, fingerprint, graphStep: true, async () =>
        {
            var step = new EmbeddingStep(services.Loggers.CreateLogger<EmbeddingStep>(), services.Time);
            var result = await step.RunAsync(new EmbeddingRequest(config, services.Store, services.Graphs, services.Embedders, input.Plan.RunId, input.Plan.Environment), cancellationToken);
            return (result.ManifestUri, result.Manifest, result.Metadata.Counts);
        }, cancellationToken);
    }

    public async Task<StepOutcome> RecommendAsync(StepActivityInput input, CancellationToken cancellationToken = default)
    {
        var config = Config(input);
        var prepared = Previous(input, PipelineSteps.DataPreparation);
        var embeddings = Previous(input, PipelineSteps.Embeddings);
        // The ranking model is an input: a newly promoted model makes an earlier run's recommendations stale.
        var model = await new RankingModelRegistry(services.Store, config.Event.Name).CurrentAsync(cancellationToken);
        var fingerprint = Fingerprint(input, embeddings.Fingerprint, prepared.Fingerprint, input.Plan.Environment,
            input.Plan.Incremental ? "incremental" : "full", config.Recommendation.Ranking.UseLearnedModel ? model?.Version ?? "no-model" : "heuristic");
        return await ReuseOrRunAsync(input, config, fingerprint, graphStep: true, async () =>
        {
            var step = new RecommendationStep(services.Loggers.CreateLogger<RecommendationStep>(), services.Time);
            var result = await step.RunAsync(new RecommendationRequest(config, services.Store, services.Graphs, prepared.ManifestUri!, input.Plan.RunId,
                input.Plan.Environment, input.Plan.Incremental), cancellationToken);
            return (result.ManifestUri, result.Manifest, result.Metadata.Counts);
        }, cancellationToken);
    }

    /// <summary>A step the request left out: the newest earlier run's outcome for it.</summary>
    public async Task<StepOutcome> ReuseStepAsync(StepActivityInput input, CancellationToken cancellationToken = default)
    {
        var manifestUri = await RunLocator.FindStepManifestAsync(services.Store, input.Plan.Event, input.Step, null, cancellationToken);
        var runId = RunLocator.RunIdOf(services.Store, manifestUri);
        var outcome = await ReadOutcomeAsync(input.Plan.Event, runId, input.Step, cancellationToken);
        var now = services.Time.GetUtcNow();
        return outcome is not null
            ? outcome with { Status = StepStatuses.Reused, ReusedFromRunId = runId, StartedAt = now, FinishedAt = now }
            // Published by `pa prepare` and friends, which record no outcome: reuse the manifest itself.
            : new StepOutcome(input.Step, StepStatuses.Reused, manifestUri, await HashOfAsync(manifestUri, cancellationToken), $"manifest:{manifestUri}",
                now, now, runId, [], [], new Dictionary<string, long>());
    }

    /// <summary>Retrains the ranker on the run's input (every past visitor kept) and promotes it if it is better.</summary>
    public async Task<RetrainingOutcome> RetrainRankerAsync(StepActivityInput input, CancellationToken cancellationToken = default)
    {
        var config = Config(input);
        var scratchRun = $"{input.Plan.RunId}-training";
        var step = new DataPreparationStep(services.Loggers.CreateLogger<DataPreparationStep>(), services.Time);
        var prepared = await step.RunAsync(new DataPreparationRequest(config.WithAllPastVisitors(), services.OpenInput(input.Run.Request.Input), services.Store, scratchRun), cancellationToken);
        var data = await RankingDataset.FromPreparationAsync(config, services.Store, prepared.Manifest, services.Embedders, cancellationToken);
        var outcome = await new RankingModelTrainer(services.Time).TrainAsync(config, data, new RankingModelRegistry(services.Store, config.Event.Name), cancellationToken);
        var decision = outcome.Decision;
        return new RetrainingOutcome(decision.Candidate, decision.Promoted, decision.Reason, decision.CandidateNdcgAt10, decision.CurrentNdcgAt10);
    }

    /// <summary>
    /// Writes a run's summary to <c>runs/&lt;event&gt;/&lt;runId&gt;/run_summary.json</c> (a failed run's, whose status only
    /// carries a compact failure); null when the request's event or run id cannot name a run folder.
    /// </summary>
    public async Task<ArtifactReference?> PublishRunSummaryAsync(RunSummary summary, CancellationToken cancellationToken = default)
    {
        if (!ArtifactPath.TryParse($"runs/{summary.Event}/{summary.RunId}/{RunSummaryFile}", out var path, out _) || summary.RunId.Contains('/')
            || summary.Event.Contains('/'))
            return null;
        var stored = await Store.PutAsync(path, new MemoryStream(PipelineJson.Serialize(summary)), cancellationToken);
        return new ArtifactReference(RunSummaryFile, stored.Uri, stored.Sha256);
    }

    /// <summary>Runs an activity by name with its JSON input, as the local runner and any host that speaks JSON calls it.</summary>
    public async Task<object?> InvokeAsync(string name, JsonElement input, CancellationToken cancellationToken)
    {
        T Read<T>() => input.Deserialize<T>(PipelineJson.Options) ?? throw new ArgumentException($"activity {name}: no input");
        return name switch
        {
            PipelineActivityNames.PlanRun => await PlanRunAsync(Read<PipelineRunInput>(), cancellationToken),
            PipelineActivityNames.PrepareData => await PrepareDataAsync(Read<StepActivityInput>(), cancellationToken),
            PipelineActivityNames.PrepareGraph => await PrepareGraphAsync(Read<StepActivityInput>(), cancellationToken),
            PipelineActivityNames.EmbedSessions => await EmbedSessionsAsync(Read<StepActivityInput>(), cancellationToken),
            PipelineActivityNames.Recommend => await RecommendAsync(Read<StepActivityInput>(), cancellationToken),
            PipelineActivityNames.ReuseStep => await ReuseStepAsync(Read<StepActivityInput>(), cancellationToken),
            PipelineActivityNames.RetrainRanker => await RetrainRankerAsync(Read<StepActivityInput>(), cancellationToken),
            PipelineActivityNames.PublishRunSummary => await PublishRunSummaryAsync(Read<RunSummary>(), cancellationToken),
            _ => throw new ArgumentException($"no activity named '{name}'"),
        };
    }

    private EventConfig Config(StepActivityInput input) => services.LoadConfig(input.Plan.Event, input.Run.Request.Parameters);

    private static StepOutcome Previous(StepActivityInput input, string step) =>
        input.Previous.SingleOrDefault(o => o.Step == step) ?? throw new InvalidOperationException($"{input.Step} runs after {step}, which has no outcome");

    private static string Fingerprint(StepActivityInput input, params string[] parts) =>
        Sha256(string.Join('\n', new[] { input.Step, CodeVersion.Current, input.Plan.ConfigSha256 }.Concat(parts)));

    private async Task<StepOutcome> ReuseOrRunAsync(StepActivityInput input, EventConfig config, string fingerprint, bool graphStep,
        Func<Task<(Uri ManifestUri, ArtifactManifest Manifest, IReadOnlyDictionary<string, long> Metrics)>> run, CancellationToken cancellationToken)
    {
        var index = ArtifactPath.Parse($"reuse/{config.Event.Name}/{input.Step}/{fingerprint}.json");
        var applied = ArtifactPath.Parse($"reuse/{config.Event.Name}/graph-{input.Plan.Environment}/{input.Step}.json");
        if (!input.Plan.Force && await Store.ExistsAsync(index, cancellationToken))
        {
            var earlierRun = Encoding.UTF8.GetString(await ReadAllAsync(index, cancellationToken)).Trim();
            var earlier = await ReadOutcomeAsync(config.Event.Name, earlierRun, input.Step, cancellationToken);
            var graphHoldsIt = !graphStep || (await Store.ExistsAsync(applied, cancellationToken)
                && Encoding.UTF8.GetString(await ReadAllAsync(applied, cancellationToken)).Trim() == fingerprint);
            if (earlier is not null && graphHoldsIt && earlier.ManifestUri is { } uri && await HashOfAsync(uri, cancellationToken) == earlier.ManifestSha256)
            {
                var now = services.Time.GetUtcNow();
                return earlier with { Status = StepStatuses.Reused, ReusedFromRunId = earlierRun, StartedAt = now, FinishedAt = now };
            }
        }

        var startedAt = services.Time.GetUtcNow();
        if (graphStep)
        {
            // What later steps wrote into this graph is about to change underneath them: forget it before writing.
            foreach (var later in PipelineSteps.All.SkipWhile(s => s != input.Step))
                await Store.DeleteAsync(ArtifactPath.Parse($"reuse/{config.Event.Name}/graph-{input.Plan.Environment}/{later}.json"), cancellationToken);
        }
        var (manifestUri, manifest, metrics) = await run();
        var outcome = new StepOutcome(input.Step, StepStatuses.Succeeded, manifestUri, await HashOfAsync(manifestUri, cancellationToken), fingerprint,
            startedAt, services.Time.GetUtcNow(), null,
            manifest.Inputs.Select(i => new ArtifactReference(i.Name, i.Uri, i.Sha256)).ToList(),
            manifest.Outputs.Select(o => new ArtifactReference(o.Name, o.Uri, o.Sha256)).ToList(),
            metrics);
        var folder = RunFolders.StepFolder(config.Event.Name, input.Plan.RunId, input.Step);
        await Store.PutAsync(folder.Combine(OutcomeFile), new MemoryStream(PipelineJson.Serialize(outcome)), cancellationToken);
        await Store.PutAsync(index, new MemoryStream(Encoding.UTF8.GetBytes(input.Plan.RunId)), cancellationToken);
        if (graphStep) await Store.PutAsync(applied, new MemoryStream(Encoding.UTF8.GetBytes(fingerprint)), cancellationToken);
        return outcome;
    }

    private IArtifactStore Store => services.Store;

    private async Task<StepOutcome?> ReadOutcomeAsync(string eventName, string runId, string step, CancellationToken cancellationToken)
    {
        if (!ArtifactPath.TryParse($"runs/{eventName}/{runId}/{step}/{OutcomeFile}", out var path, out _) || !await Store.ExistsAsync(path, cancellationToken)) return null;
        return JsonSerializer.Deserialize<StepOutcome>(await ReadAllAsync(path, cancellationToken), PipelineJson.Options);
    }

    private async Task<string?> HashOfAsync(Uri uri, CancellationToken cancellationToken) =>
        Store.TryGetPath(uri, out var path) && await Store.ExistsAsync(path, cancellationToken) ? await Store.GetContentHashAsync(path, cancellationToken) : null;

    private async Task<byte[]> ReadAllAsync(ArtifactPath path, CancellationToken cancellationToken)
    {
        await using var stream = await Store.OpenReadAsync(path, cancellationToken);
        using var buffer = new MemoryStream();
        await stream.CopyToAsync(buffer, cancellationToken);
        return buffer.ToArray();
    }

    private static ActivityRetryPolicy Policy(RetrySettings retry) =>
        new(retry.MaxAttempts, TimeSpan.FromSeconds(retry.FirstRetrySeconds), retry.BackoffCoefficient, TimeSpan.FromSeconds(retry.MaxRetrySeconds));

    private static string ConfigHash(EventConfig config) => Convert.ToHexStringLower(SHA256.HashData(PipelineJson.Serialize(config)));

    private static string Sha256(string text) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)));
}
