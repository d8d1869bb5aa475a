using System.Globalization;
using System.Text.Json;
using PipelineFunctions.Core.Artifacts;
using PipelineFunctions.Core.Orchestration;
using PipelineFunctions.Core.Steps.Recommendations;
using PipelineFunctions.Core.Steps.Recommendations.Ranking;

namespace PipelineFunctions.Core.Reporting;

/// <summary>
/// Builds a run's <see cref="RunCharts"/> from what the run left: its activities (the timeline), step 4's metadata.json
/// (strategies, agenda lengths, theatre slots: small, whatever the show's size, so the exports are never re-read) and
/// the event's model registry (the ranker's holdout scores per version).
/// </summary>
public static class RunChartsBuilder
{
    public static async Task<RunCharts> BuildAsync(IArtifactStore store, string runId, string eventName, string runtimeStatus, DateTime runStart,
        RunSummary? summary, IReadOnlyList<ActivityRun> activities, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(store);
        var notes = new List<string>();
        var timeline = RunTimeline.Build(runStart, activities, notes);

        var metadata = await ReadMetadataAsync(store, summary, notes, cancellationToken);
        IReadOnlyList<StrategyCount> strategies = [];
        IReadOnlyList<AgendaLengthCount> lengths = [];
        IReadOnlyList<SlotFill> slots = [];
        if (metadata is not null)
        {
            var without = metadata.StrategiesWithoutRecommendations;
            if (without is null) notes.Add("step 4's metadata does not split its strategies by agenda (written by an older version)");
            strategies = metadata.Strategies.OrderBy(s => s.Key, StringComparer.Ordinal)
                .Select(s => new StrategyCount(s.Key, s.Value - (without?.GetValueOrDefault(s.Key) ?? 0), without?.GetValueOrDefault(s.Key) ?? 0))
                .ToList();
            if (metadata.Assembly.AgendaLengths is { } counts)
                lengths = counts.Select((visitors, sessions) => new AgendaLengthCount(sessions, visitors)).ToList();
            else notes.Add("step 4's metadata has no agenda lengths (written by an older version)");
            if (metadata.Assembly.Slots is { } fills) slots = fills;
            else notes.Add("step 4's metadata has no theatre slots (written by an older version)");
        }

        var models = await ModelsAsync(store, eventName, metadata?.Ranker, cancellationToken);
        if (models.Count == 0)
            notes.Add($"no ranker model is registered for {eventName}: step 4 ranks with the reference heuristic "
                + "(`pa train` or a run with retrain trains one)");
        return new RunCharts(runId, eventName, runtimeStatus, metadata?.Ranker, timeline, strategies, lengths, slots, models, notes);
    }

    private static async Task<RecommendationMetadata?> ReadMetadataAsync(IArtifactStore store, RunSummary? summary, List<string> notes,
        CancellationToken cancellationToken)
    {
        var step = summary?.Steps.FirstOrDefault(s => s.Step == PipelineSteps.Recommendations && s.Status != StepStatuses.Failed);
        var output = step?.Outputs.FirstOrDefault(o => o.Name == RecommendationStep.MetadataName);
        if (output is null)
        {
            notes.Add(summary is null
                ? "the run has no summary yet: step 4's charts appear when it finishes"
                : "step 4 has no outputs in this run: it did not finish");
            return null;
        }
        if (!store.TryGetPath(output.Uri, out var path) || !await store.ExistsAsync(path, cancellationToken))
        {
            notes.Add($"step 4's {output.Name} is not in the store any more ({output.Uri})");
            return null;
        }
        try
        {
            await using var stream = await store.OpenReadAsync(path, cancellationToken);
            return await JsonSerializer.DeserializeAsync<RecommendationMetadata>(stream, PipelineJson.Options, cancellationToken)
                ?? throw new JsonException("the document is null");
        }
        catch (JsonException e)
        {
            notes.Add(string.Create(CultureInfo.InvariantCulture, $"step 4's {output.Uri} is not valid metadata: {e.Message}"));
            return null;
        }
    }

    private static async Task<IReadOnlyList<ModelEvaluation>> ModelsAsync(IArtifactStore store, string eventName, string? ranker,
        CancellationToken cancellationToken)
    {
        var registry = new RankingModelRegistry(store, eventName);
        var current = await registry.CurrentAsync(cancellationToken);
        var models = new List<ModelEvaluation>();
        foreach (var info in await registry.ListAsync(cancellationToken))
        {
            var decision = await registry.DecisionAsync(info.Version, cancellationToken);
            models.Add(new ModelEvaluation(info.Version, info.CreatedAt, info.Holdout.NdcgAt10, info.Holdout.RecallAt10, info.Holdout.Coverage,
                decision?.HeuristicNdcgAt10, decision?.Promoted, info.Version == current?.Version,
                ranker == $"{RankingMethods.LearnedRanker}:{info.Version}"));
        }
        return models;
    }
}
