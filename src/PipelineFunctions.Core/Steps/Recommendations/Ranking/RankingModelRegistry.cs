using System.Text.Json;
using PipelineFunctions.Core.Artifacts;

namespace PipelineFunctions.Core.Steps.Recommendations.Ranking;

/// <summary>
/// The event's ranking models in the artifact store: models/&lt;event&gt;/&lt;version&gt;/ holds model.zip,
/// model.json (<see cref="RankingModelInfo"/>), evaluation.json and decision.json; models/&lt;event&gt;/current.json
/// points at the promoted one. Versions are never overwritten, so a rollback is a pointer change.
/// </summary>
public sealed class RankingModelRegistry(IArtifactStore store, string eventName)
{
    public const string ModelFile = "model.zip", InfoFile = "model.json", EvaluationFile = "evaluation.json", DecisionFile = "decision.json";

    public ArtifactPath Folder(string version) => ArtifactPath.Parse($"models/{eventName}/{version}");

    public ArtifactPath CurrentPointer => ArtifactPath.Parse($"models/{eventName}/current.json");

    public async Task SaveAsync(RankingModelInfo info, LearnedRanker model, EvaluationReport evaluation, CancellationToken cancellationToken)
    {
        var folder = Folder(info.Version);
        using var buffer = new MemoryStream();
        model.Save(buffer);
        buffer.Position = 0;
        await store.PutAsync(folder.Combine(ModelFile), buffer, cancellationToken);
        await store.PutAsync(folder.Combine(EvaluationFile), new MemoryStream(PipelineJson.Serialize(evaluation)), cancellationToken);
        // The info last: a version without model.json is an unfinished save and is never listed or loaded.
        await store.PutAsync(folder.Combine(InfoFile), new MemoryStream(PipelineJson.Serialize(info)), cancellationToken);
    }

    public Task RecordDecisionAsync(PromotionDecision decision, CancellationToken cancellationToken) =>
        store.PutAsync(Folder(decision.Candidate).Combine(DecisionFile), new MemoryStream(PipelineJson.Serialize(decision)), cancellationToken);

    public async Task PromoteAsync(string version, DateTimeOffset at, CancellationToken cancellationToken)
    {
        if (await InfoAsync(version, cancellationToken) is null)
            throw new PipelineInputException($"models/{eventName}", $"has no model version '{version}'");
        await store.PutAsync(CurrentPointer, new MemoryStream(PipelineJson.Serialize(new RankingModelPointer(version, at))), cancellationToken);
    }

    public async Task<RankingModelPointer?> CurrentAsync(CancellationToken cancellationToken)
    {
        if (!await store.ExistsAsync(CurrentPointer, cancellationToken)) return null;
        return await ReadAsync<RankingModelPointer>(CurrentPointer, cancellationToken);
    }

    public async Task<RankingModelInfo?> InfoAsync(string version, CancellationToken cancellationToken)
    {
        if (!ArtifactPath.TryParse($"models/{eventName}/{version}/{InfoFile}", out var path, out _) || version.Contains('/')) return null;
        return await store.ExistsAsync(path, cancellationToken) ? await ReadAsync<RankingModelInfo>(path, cancellationToken) : null;
    }

    /// <summary>Every complete version, oldest first.</summary>
    public async Task<IReadOnlyList<RankingModelInfo>> ListAsync(CancellationToken cancellationToken)
    {
        var infos = new List<RankingModelInfo>();
        await foreach (var entry in store.ListAsync($"models/{eventName}/", cancellationToken))
            if (entry.Path.Name == InfoFile && entry.Path.Value.Count(c => c == '/') == 3)
                infos.Add(await ReadAsync<RankingModelInfo>(entry.Path, cancellationToken));
        return infos.OrderBy(i => i.CreatedAt).ThenBy(i => i.Version, StringComparer.Ordinal).ToList();
    }

    public async Task<PromotionDecision?> DecisionAsync(string version, CancellationToken cancellationToken)
    {
        var path = Folder(version).Combine(DecisionFile);
        return await store.ExistsAsync(path, cancellationToken) ? await ReadAsync<PromotionDecision>(path, cancellationToken) : null;
    }

    /// <summary>
    /// The retraining history, oldest first: every recorded decision (one per retraining, written once beside its candidate
    /// and never overwritten) with both models' holdout scores, the data they were scored on and any degradation.
    /// </summary>
    public async Task<IReadOnlyList<PromotionDecision>> HistoryAsync(CancellationToken cancellationToken)
    {
        var decisions = new List<PromotionDecision>();
        await foreach (var entry in store.ListAsync($"models/{eventName}/", cancellationToken))
            if (entry.Path.Name == DecisionFile && entry.Path.Value.Count(c => c == '/') == 3)
                decisions.Add(await ReadAsync<PromotionDecision>(entry.Path, cancellationToken));
        return decisions.OrderBy(d => d.DecidedAt).ThenBy(d => d.Candidate, StringComparer.Ordinal).ToList();
    }

    public async Task<RegisteredRanker?> LoadCurrentAsync(CancellationToken cancellationToken)
    {
        var current = await CurrentAsync(cancellationToken);
        if (current is null) return null;
        var info = await InfoAsync(current.Version, cancellationToken)
            ?? throw new PipelineInputException(CurrentPointer.Value, $"points at model version '{current.Version}', which is missing or incomplete");
        var model = await ArtifactReader.ReadAllBytesAsync(store, Folder(current.Version).Combine(ModelFile), cancellationToken);
        return new RegisteredRanker(info, LearnedRanker.Load(new MemoryStream(model)), model.LongLength);
    }

    private async Task<T> ReadAsync<T>(ArtifactPath path, CancellationToken cancellationToken)
    {
        await using var stream = await store.OpenReadAsync(path, cancellationToken);
        try
        {
            return await JsonSerializer.DeserializeAsync<T>(stream, PipelineJson.Options, cancellationToken)
                ?? throw new PipelineInputException(path.Value, "is empty (null)");
        }
        catch (JsonException e)
        {
            throw new PipelineInputException(path.Value, $"is not a valid {typeof(T).Name}: {e.Message}");
        }
    }
}
