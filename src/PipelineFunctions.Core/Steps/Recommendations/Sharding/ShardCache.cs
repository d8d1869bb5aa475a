using System.Text.Json;
using PipelineFunctions.Core.Artifacts;

namespace PipelineFunctions.Core.Steps.Recommendations.Sharding;

/// <summary>
/// Step 4's scored shards kept for later runs, under <c>reuse/&lt;event&gt;/recommendation-shards/</c>, by a key of
/// their scoring context and visitors. Without a rule the folder grows by every run's shards (some 200 MB a week at
/// 200,000 visitors), so each fan-in records its run's keys per graph environment and deletes every cached shard that
/// neither of the last <see cref="GenerationsKept"/> runs of any environment used. A shard deleted while a concurrent run
/// wanted it is only scored again.
/// </summary>
internal sealed class ShardCache(IArtifactStore store, string eventName)
{
    public const int GenerationsKept = 2;
    private const string KeptPrefix = "kept-";

    private string Folder => $"reuse/{eventName}/recommendation-shards";

    public ArtifactPath PathOf(string key) => ArtifactPath.Parse($"{Folder}/{key}.bin");

    /// <summary>Records the run's shard keys for the environment and deletes the cached shards no kept run uses.</summary>
    /// <returns>How many cached shards were deleted.</returns>
    public async Task<int> RetainAsync(string environment, IReadOnlyCollection<string> runKeys, CancellationToken cancellationToken)
    {
        var kept = ArtifactPath.Parse($"{Folder}/{KeptPrefix}{environment}.json");
        var generations = await ReadAsync(kept, cancellationToken);
        generations.Insert(0, [.. runKeys.Order(StringComparer.Ordinal)]);
        if (generations.Count > GenerationsKept) generations.RemoveRange(GenerationsKept, generations.Count - GenerationsKept);
        await store.PutAsync(kept, new MemoryStream(PipelineJson.Serialize(generations)), cancellationToken);

        var used = new HashSet<string>(StringComparer.Ordinal);
        var cached = new List<ArtifactPath>();
        await foreach (var entry in store.ListAsync(Folder, cancellationToken))
        {
            var name = entry.Path.Value[(entry.Path.Value.LastIndexOf('/') + 1)..];
            if (name.StartsWith(KeptPrefix, StringComparison.Ordinal) && name.EndsWith(".json", StringComparison.Ordinal))
                foreach (var generation in await ReadAsync(entry.Path, cancellationToken)) used.UnionWith(generation);
            else if (name.EndsWith(".bin", StringComparison.Ordinal))
                cached.Add(entry.Path);
        }
        var deleted = 0;
        foreach (var path in cached.Where(p => !used.Contains(Path.GetFileNameWithoutExtension(p.Value))))
        {
            await store.DeleteAsync(path, cancellationToken);
            deleted++;
        }
        return deleted;
    }

    private async Task<List<List<string>>> ReadAsync(ArtifactPath path, CancellationToken cancellationToken)
    {
        if (!await store.ExistsAsync(path, cancellationToken)) return [];
        try
        {
            await using var stream = await store.OpenReadAsync(path, cancellationToken);
            return await JsonSerializer.DeserializeAsync<List<List<string>>>(stream, PipelineJson.Options, cancellationToken) ?? [];
        }
        catch (JsonException)
        {
            // A damaged record only loses what it kept: those shards are scored again when next wanted.
            return [];
        }
    }
}
