using System.Diagnostics;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using PipelineFunctions.Core.Artifacts;
using PipelineFunctions.Core.Events;
using PipelineFunctions.Core.Orchestration.FanOut;
using PipelineFunctions.Core.Orchestration.Notifications;
using PipelineFunctions.Core.Orchestration.Reuse;
using PipelineFunctions.Core.Steps.Analysis;
using PipelineFunctions.Core.Steps.DataPreparation;
using PipelineFunctions.Core.Steps.Recommendations.Ranking;
using PipelineFunctions.Core.Telemetry;

namespace PipelineFunctions.Core.Orchestration;

/// <summary>
/// The activities the orchestration calls, one method each, shared by both hosts (an Azure activity function or the
/// local runner is a one-line call into here). Every step activity first computes its fingerprint (code version,
/// config, the inputs' hashes or the previous step's fingerprint, parameters): when an earlier successful run had
/// the same one, and for graph steps the graph still holds what that run wrote, it returns that run's outcome as
/// <c>reused</c> instead of running (unless the request forces a rerun): <see cref="StepReuseCache"/> keeps that rule.
/// Outputs go to deterministic paths and graph writes are keyed merges, so an activity retried or replayed after a
/// crash does its work again without duplicates.
/// </summary>
public sealed class PipelineActivities(IPipelineServices services)
{
    public const string OutcomeFile = StepReuseCache.OutcomeFile, RunSummaryFile = "run_summary.json";

    /// <summary>A notification warning in the run summary is at most this long.</summary>
    public const int NotificationWarningCharacters = 500;

    /// <summary>Validates the request against the event's config and fixes what the run will do.</summary>
    public Task<RunPlan> PlanRunAsync(PipelineRunInput input, CancellationToken cancellationToken = default) =>
        Traced(PipelineActivityNames.PlanRun, input, "plan", () => Task.FromResult(PlanRun(input)));

    private RunPlan PlanRun(PipelineRunInput input)
    {
        var config = RunRequestValidation.Validate(input.Request, services.LoadConfig);
        if (!ArtifactPath.TryParse($"runs/{config.Event.Name}/{input.RunId}", out _, out var problem) || input.RunId.Contains('/'))
            throw new PipelineInputException("run id", $"'{input.RunId}' cannot name a run folder: {problem}");
        var needsGraph = input.Request.Retrain || input.Request.StepsToRun.Any(step => step != PipelineSteps.DataPreparation);
        if (needsGraph && services.Graphs.UnavailableReason is { } unavailable)
            throw new PipelineInputException("graph", unavailable, field: "graph");
        // A generator this host does not offer (minilm in a host built without it) fails the plan, before step 1, not step 3.
        var needsEmbedder = input.Request.Retrain || input.Request.StepsToRun.Contains(PipelineSteps.Embeddings);
        if (needsEmbedder && services.Embedders.UnavailableReason(config) is { } noEmbedder)
            throw new PipelineInputException(config.SourcePath, noEmbedder, field: "embeddings.generator");
        var orchestration = config.Orchestration;
        var retries = new Dictionary<string, ActivityRetryPolicy>
        {
            [PipelineSteps.DataPreparation] = Policy(orchestration.DataPreparation),
            [PipelineSteps.GraphPreparation] = Policy(orchestration.GraphPreparation),
            [PipelineSteps.Embeddings] = Policy(orchestration.Embeddings),
            [PipelineSteps.Recommendations] = Policy(orchestration.Recommendations),
            ["retraining"] = Policy(orchestration.Retraining),
            [PipelineSteps.PostShowAnalysis] = Policy(orchestration.PostShowAnalysis),
        };
        if (input.Request.Analyse && !PostShowAnalysisStep.ScansConfigured(config))
            throw new PipelineInputException(config.SourcePath,
                "asks for no post-show analysis input: set inputs.scans_this_year and inputs.scan_reference_this_year",
                field: "inputs.scans_this_year");
        var request = input.Request;
        return new RunPlan(input.RunId, config.Event.Name, request.StepsToRun, request.GraphEnvironment ?? config.Graph.Environment,
            request.Incremental, request.Force, request.Retrain, retries, StepFingerprint.OfConfig(config), request.Analyse);
    }

    public Task<StepOutcome> PrepareDataAsync(StepActivityInput input, CancellationToken cancellationToken = default) =>
        Traced(PipelineActivityNames.PrepareData, input.Run, input.Step, () => PrepareDataCoreAsync(input, cancellationToken));

    private async Task<StepOutcome> PrepareDataCoreAsync(StepActivityInput input, CancellationToken cancellationToken)
    {
        var config = Config(input);
        var inputs = services.OpenInput(input.Run.Request.Input);
        var inputHashes = new List<string>();
        // This year's scans arrive after the show and only the analysis reads them: they leave steps 1-4 reusable.
        string?[] afterTheShow = [config.Inputs.ScansThisYear, config.Inputs.ScanReferenceThisYear];
        await foreach (var file in inputs.ListAsync("", cancellationToken))
            if (!afterTheShow.Contains(file.Path.Value))
                inputHashes.Add($"{file.Path.Value}:{await inputs.GetContentHashAsync(file.Path, cancellationToken)}");
        var fingerprint = StepFingerprint.Of(input, inputHashes.ToArray());
        return await Reuse.ReuseOrRunAsync(input, config.Event.Name, fingerprint, graphStep: false, async () =>
        {
            var step = new DataPreparationStep(services.Loggers.CreateLogger<DataPreparationStep>(), services.Time);
            var result = await step.RunAsync(new DataPreparationRequest(config, inputs, services.Store, input.Plan.RunId), cancellationToken);
            var registrations = result.Metadata.Processors.GetValueOrDefault("registrations")?.Counts ?? new Dictionary<string, long>();
            var metrics = registrations.Where(c => c.Key.StartsWith("visitors_", StringComparison.Ordinal)).ToDictionary(c => c.Key, c => c.Value);
            metrics["quarantined_sessions"] = result.Metadata.QuarantinedCount;
            metrics["warnings"] = result.Metadata.Warnings.Count;
            var drift = result.Metadata.Drift;
            return new StepRunResult(result.ManifestUri, result.Manifest, metrics)
            {
                Warnings = drift?.AboveThreshold.Select(i => DataDrift.WarningFor(i, drift.Threshold)).ToList() ?? [],
                Scores = drift?.Indicators.ToDictionary(i => $"psi_{i.Name}", i => Math.Round(i.Psi, 6)) ?? new Dictionary<string, double>(),
            };
        }, cancellationToken);
    }

    /// <summary>Steps 2-4's planning activity: reuse an earlier run's outcome, or settle the parts to run.</summary>
    public Task<FanOutPlan> BeginStepAsync(StepActivityInput input, CancellationToken cancellationToken = default) =>
        Traced(FanOutNames(input.Step).Begin, input.Run, input.Step, () => FannedOut(input.Step).BeginAsync(input, cancellationToken));

    /// <summary>One part of a fanned-out step (a graph processor, a batch of sessions, a shard of visitors).</summary>
    public Task<StepPartResult> RunStepPartAsync(StepPartInput input, CancellationToken cancellationToken = default) =>
        Traced(FanOutNames(input.Step.Step).Part, input.Step.Run, input.Step.Step,
            () => FannedOut(input.Step.Step).RunPartAsync(input, cancellationToken),
            input.Wave, input.Index);

    /// <summary>A fanned-out step's fan-in: publishes its manifest and records its outcome.</summary>
    public Task<StepOutcome> FinishStepAsync(StepFinishInput input, CancellationToken cancellationToken = default) =>
        Traced(FanOutNames(input.Step.Step).Finish, input.Step.Run, input.Step.Step,
            () => FannedOut(input.Step.Step).FinishAsync(input, cancellationToken));

    private static FanOutActivityNames FanOutNames(string step) =>
        PipelineActivityNames.FanOutFor(step) ?? throw new ArgumentOutOfRangeException(nameof(step), step, "not a fanned-out step");

    private IFannedOutStep FannedOut(string step) => step switch
    {
        PipelineSteps.GraphPreparation => new GraphPreparationFanOut(services),
        PipelineSteps.Embeddings => new EmbeddingFanOut(services),
        PipelineSteps.Recommendations => new RecommendationFanOut(services),
        _ => throw new ArgumentOutOfRangeException(nameof(step), step, "not a fanned-out step"),
    };

    /// <summary>A step the request left out: the newest earlier run's outcome for it.</summary>
    public Task<StepOutcome> ReuseStepAsync(StepActivityInput input, CancellationToken cancellationToken = default) =>
        Traced(PipelineActivityNames.ReuseStep, input.Run, input.Step, () => Reuse.ReuseNewestAsync(input.Plan.Event, input.Step, cancellationToken));

    /// <summary>Retrains the ranker on the run's input (every past visitor kept) and promotes it if it is better.</summary>
    public Task<RetrainingOutcome> RetrainRankerAsync(StepActivityInput input, CancellationToken cancellationToken = default) =>
        Traced(PipelineActivityNames.RetrainRanker, input.Run, input.Step, () => RetrainRankerCoreAsync(input, cancellationToken));

    private async Task<RetrainingOutcome> RetrainRankerCoreAsync(StepActivityInput input, CancellationToken cancellationToken)
    {
        var config = Config(input);
        var scratchRun = $"{input.Plan.RunId}-training";
        var step = new DataPreparationStep(services.Loggers.CreateLogger<DataPreparationStep>(), services.Time);
        var prepared = await step.RunAsync(
            new DataPreparationRequest(config.WithAllPastVisitors(), services.OpenInput(input.Run.Request.Input), services.Store, scratchRun),
            cancellationToken);
        var data = await RankingDataset.FromPreparationAsync(config, services.Store, prepared.Manifest, services.Embedders, cancellationToken);
        var trainer = new RankingModelTrainer(services.Time);
        var outcome = await trainer.TrainAsync(config, data, new RankingModelRegistry(services.Store, config.Event.Name), cancellationToken);
        var decision = outcome.Decision;
        if (decision.Degradation is { } degradation)
            services.Loggers.CreateLogger<RankingModelTrainer>().LogWarning("Event {Event}: {Degradation}", config.Event.Name, degradation);
        return new RetrainingOutcome(decision.Candidate, decision.Promoted, decision.Reason, decision.CandidateNdcgAt10, decision.CurrentNdcgAt10,
            decision.Current)
        { CurrentRegisteredNdcgAt10 = decision.CurrentRegisteredNdcgAt10, Degradation = decision.Degradation };
    }

    /// <summary>
    /// Analyses the show's outcome (this year's scans in the run's input) against step 4's exports, which may be an earlier
    /// run's when step 4 was reused; the analysis lands in this run's folder. Never reused: the scans are the point.
    /// </summary>
    public Task<StepOutcome> AnalysePostShowAsync(StepActivityInput input, CancellationToken cancellationToken = default) =>
        Traced(PipelineActivityNames.AnalysePostShow, input.Run, input.Step, () => AnalysePostShowCoreAsync(input, cancellationToken));

    private async Task<StepOutcome> AnalysePostShowCoreAsync(StepActivityInput input, CancellationToken cancellationToken)
    {
        var config = Config(input);
        var recommendations = input.PreviousOutcome(PipelineSteps.Recommendations);
        var startedAt = services.Time.GetUtcNow();
        var step = new PostShowAnalysisStep(services.Loggers.CreateLogger<PostShowAnalysisStep>(), services.Time);
        var result = await step.RunAsync(new PostShowAnalysisRequest(config, services.OpenInput(input.Run.Request.Input), services.Store,
            input.Plan.RunId, recommendations.ManifestUri ?? throw new InvalidOperationException("step 4's outcome names no manifest")),
            cancellationToken);
        // Its two files (analysis.json and .csv) are named in the summary: a handful of references, far under Durable's limits.
        return new StepOutcome(PipelineSteps.PostShowAnalysis, StepStatuses.Succeeded, result.ManifestUri, null, "", startedAt,
            services.Time.GetUtcNow(), null, [], result.Manifest.Outputs.Select(o => new ArtifactReference(o.Name, o.Uri, o.Sha256)).ToList(),
            result.Metrics);
    }

    /// <summary>
    /// Writes a run's summary to <c>runs/&lt;event&gt;/&lt;runId&gt;/run_summary.json</c> (a failed run's, whose status only
    /// carries a compact failure); null when the request's event or run id cannot name a run folder.
    /// </summary>
    public async Task<ArtifactReference?> PublishRunSummaryAsync(RunSummary summary, CancellationToken cancellationToken = default)
    {
        using var span = PipelineDiagnostics.StartActivitySpan(PipelineActivityNames.PublishRunSummary, summary.RunId, summary.Event, "summary");
        if (!ArtifactPath.TryParse($"runs/{summary.Event}/{summary.RunId}/{RunSummaryFile}", out var path, out _) || summary.RunId.Contains('/')
            || summary.Event.Contains('/'))
            return null;
        var steps = new List<StepOutcome>();
        foreach (var step in summary.Steps)
            steps.Add(await Reuse.ArtifactListsAsync(summary.Event, step.ReusedFromRunId ?? summary.RunId, step, cancellationToken));
        var stored = await services.Store.PutAsync(path, new MemoryStream(PipelineJson.Serialize(summary with { Steps = steps })),
            cancellationToken);
        return new ArtifactReference(RunSummaryFile, stored.Uri, stored.Sha256);
    }

    /// <summary>
    /// Announces the run's end, and a promoted ranker model, through the host's notifier. Never fails: a message that
    /// was not delivered becomes a warning (its text names no URL), so the run ends as it would have without it.
    /// </summary>
    public async Task<RunNotificationOutcome> NotifyRunEndedAsync(RunSummary summary, CancellationToken cancellationToken = default)
    {
        using var span = PipelineDiagnostics.StartActivitySpan(PipelineActivityNames.NotifyRunEnded, summary.RunId, summary.Event, "notification");
        var logger = services.Loggers.CreateLogger<PipelineActivities>();
        var (delivered, warnings) = (0, new List<string>());
        foreach (var notification in RunNotifications.For(summary))
        {
            try
            {
                if (await services.Notifier.SendAsync(notification, cancellationToken)) delivered++;
            }
            catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                // Only the notifier's own messages are known to be free of the URL; of anything else, the type alone.
                var warning = e is RunNotificationException
                    ? e.Message
                    : $"run notification ({notification.Kind}) not delivered: {e.GetType().Name}";
                warnings.Add(RunStatusLimits.Cut(warning, NotificationWarningCharacters)!);
                logger.LogWarning("Run {RunId}: {Warning}", summary.RunId, warning);
            }
        }
        return new RunNotificationOutcome(delivered, warnings);
    }

    /// <summary>
    /// Emits the run's end: its span and its steps' spans, its metrics and the run-ended log event (telemetry only; the
    /// orchestration calls it once, as its last activity, so a replay emits nothing again).
    /// </summary>
    public Task<bool> RecordRunEndAsync(RunEndedInput input, CancellationToken cancellationToken = default)
    {
        new RunEndTelemetry(services.Loggers).Record(input);
        return Task.FromResult(true);
    }

    /// <summary>Runs an activity by name with its JSON input, as the local runner and any host that speaks JSON calls it.</summary>
    public async Task<object?> InvokeAsync(string name, JsonElement input, CancellationToken cancellationToken)
    {
        T Read<T>() => input.Deserialize<T>(PipelineJson.Options) ?? throw new ArgumentException($"activity {name}: no input");
        return name switch
        {
            PipelineActivityNames.PlanRun => await PlanRunAsync(Read<PipelineRunInput>(), cancellationToken),
            PipelineActivityNames.PrepareData => await PrepareDataAsync(Read<StepActivityInput>(), cancellationToken),
            PipelineActivityNames.BeginGraphPreparation or PipelineActivityNames.BeginEmbeddings or PipelineActivityNames.BeginRecommendations =>
                await BeginStepAsync(Read<StepActivityInput>(), cancellationToken),
            PipelineActivityNames.RunGraphProcessor or PipelineActivityNames.EmbedSessionBatch or PipelineActivityNames.ScoreRecommendationShard =>
                await RunStepPartAsync(Read<StepPartInput>(), cancellationToken),
            PipelineActivityNames.FinishGraphPreparation or PipelineActivityNames.FinishEmbeddings or PipelineActivityNames.FinishRecommendations =>
                await FinishStepAsync(Read<StepFinishInput>(), cancellationToken),
            PipelineActivityNames.ReuseStep => await ReuseStepAsync(Read<StepActivityInput>(), cancellationToken),
            PipelineActivityNames.RetrainRanker => await RetrainRankerAsync(Read<StepActivityInput>(), cancellationToken),
            PipelineActivityNames.AnalysePostShow => await AnalysePostShowAsync(Read<StepActivityInput>(), cancellationToken),
            PipelineActivityNames.PublishRunSummary => await PublishRunSummaryAsync(Read<RunSummary>(), cancellationToken),
            PipelineActivityNames.NotifyRunEnded => await NotifyRunEndedAsync(Read<RunSummary>(), cancellationToken),
            PipelineActivityNames.RecordRunEnd => await RecordRunEndAsync(Read<RunEndedInput>(), cancellationToken),
            _ => throw new ArgumentException($"no activity named '{name}'"),
        };
    }

    /// <summary>Runs an activity's body inside its span; a failure marks the span as an error.</summary>
    private static async Task<T> Traced<T>(string activity, PipelineRunInput run, string step, Func<Task<T>> body, int? wave = null,
        int? part = null)
    {
        using var span = PipelineDiagnostics.StartActivitySpan(activity, run.RunId, run.Request.Event, step, wave, part);
        try
        {
            return await body();
        }
        catch (Exception e)
        {
            span?.SetStatus(ActivityStatusCode.Error, e.Message);
            throw;
        }
    }

    private EventConfig Config(StepActivityInput input) => services.LoadConfig(input.Plan.Event, input.Run.Request.Parameters);


    /// <summary>Over the services' store as it is at each use, like every other activity's access to it.</summary>
    private StepReuseCache Reuse => new(services.Store, services.Time);

    private static ActivityRetryPolicy Policy(RetrySettings retry) =>
        new(retry.MaxAttempts, TimeSpan.FromSeconds(retry.FirstRetrySeconds), retry.BackoffCoefficient, TimeSpan.FromSeconds(retry.MaxRetrySeconds));
}
