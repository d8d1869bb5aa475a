using Microsoft.Data.Sqlite;
using PipelineFunctions.Core.Graph;

namespace PipelineFunctions.Infrastructure.Graph;

/// <summary>
/// The one loop of the embedded graph's keyed writes (MERGE semantics): for each item, find what is stored under its key
/// with a prepared query, then let the caller create, update or skip it, and count what happened.
/// </summary>
internal static class SqliteUpsert
{
    /// <summary>
    /// Per item: binds its key to <paramref name="find"/>, reads the first row found (if any) with
    /// <paramref name="readFound"/>, then runs <paramref name="write"/> with it (null: nothing stored under the key, or an
    /// endpoint of a relationship is missing). The reader is closed before <paramref name="write"/> runs.
    /// </summary>
    public static Task<GraphWriteStats> ForEachAsync<TItem, TFound>(IReadOnlyList<TItem> items, SqliteCommand find, Action<TItem> bindKey,
        Func<SqliteDataReader, TItem, TFound> readFound, Func<TItem, TFound?, Task<SqliteUpsertOutcome>> write,
        CancellationToken cancellationToken)
        where TFound : struct =>
        ForEachAsync(items, async item =>
        {
            bindKey(item);
            TFound? found = null;
            await using (var reader = await find.ExecuteReaderAsync(cancellationToken))
                if (await reader.ReadAsync(cancellationToken)) found = readFound(reader, item);
            return await write(item, found);
        }, cancellationToken);

    /// <summary>
    /// For relationships and embeddings, whose <paramref name="find"/> returns a row only when the endpoints exist: without
    /// a row the item is skipped; else it is created, updated (full mode, changed) or kept, as <see cref="Decide"/> says,
    /// and <paramref name="upsert"/> writes it unless kept.
    /// </summary>
    public static Task<GraphWriteStats> ForEachWithEndpointsAsync<TItem, TEndpoints>(IReadOnlyList<TItem> items, SqliteCommand find,
        Action<TItem> bindKey, Func<SqliteDataReader, TItem, (TEndpoints Endpoints, bool Exists, bool Same)> readFound, GraphWriteMode mode,
        Func<TItem, TEndpoints, Task> upsert, CancellationToken cancellationToken)
        where TEndpoints : struct =>
        ForEachAsync(items, find, bindKey, readFound, async (item, found) =>
        {
            if (found is not { } stored) return SqliteUpsertOutcome.Skipped; // an endpoint is missing
            var outcome = Decide(stored.Exists, stored.Same, mode);
            if (outcome != SqliteUpsertOutcome.Skipped) await upsert(item, stored.Endpoints);
            return outcome;
        }, cancellationToken);

    /// <summary>
    /// Keyed links with properties, against <paramref name="stored"/> (every link of the kind already in the graph, read
    /// once): a link whose endpoints do not <paramref name="resolve"/> is skipped; a stored one is updated (full mode,
    /// changed) or kept, as <see cref="Decide"/> says; a new one is created, all of them in one <paramref name="insertAll"/>.
    /// A key given twice behaves as two calls in a row: the second updates the first (full mode, changed) or is kept.
    /// </summary>
    public static async Task<GraphWriteStats> LinksAsync<TLink, TKey, TValue>(IReadOnlyList<TLink> links, GraphWriteMode mode,
        Dictionary<TKey, TValue> stored, Func<TLink, TKey?> resolve, Func<TLink, TValue> valueOf, Func<TKey, TValue, Task> update,
        Action<List<(TKey Key, TValue Value)>> insertAll, CancellationToken cancellationToken)
        where TKey : struct
    {
        var created = new List<(TKey Key, TValue Value)>();
        var createdIndex = new Dictionary<TKey, int>();
        long updated = 0, skipped = 0;
        for (var i = 0; i < links.Count; i++)
        {
            if (i % 4096 == 0) cancellationToken.ThrowIfCancellationRequested();
            if (resolve(links[i]) is not { } key)
            {
                skipped++; // an endpoint is missing
                continue;
            }
            var value = valueOf(links[i]);
            var earlier = createdIndex.TryGetValue(key, out var index);
            var exists = earlier || stored.ContainsKey(key);
            var same = exists && EqualityComparer<TValue>.Default.Equals(earlier ? created[index].Value : stored[key], value);
            switch (Decide(exists, same, mode))
            {
                case SqliteUpsertOutcome.Created:
                    createdIndex[key] = created.Count;
                    created.Add((key, value));
                    break;
                case SqliteUpsertOutcome.Updated when earlier:
                    created[index] = (key, value);
                    updated++;
                    break;
                case SqliteUpsertOutcome.Updated:
                    await update(key, value);
                    stored[key] = value;
                    updated++;
                    break;
                default:
                    skipped++;
                    break;
            }
        }
        insertAll(created);
        return new GraphWriteStats(created.Count, updated, skipped);
    }

    /// <summary>Runs <paramref name="write"/> for each item, checking for cancellation before each, and counts the outcomes.</summary>
    public static async Task<GraphWriteStats> ForEachAsync<TItem>(IReadOnlyList<TItem> items, Func<TItem, Task<SqliteUpsertOutcome>> write,
        CancellationToken cancellationToken)
    {
        long created = 0, updated = 0, skipped = 0;
        foreach (var item in items)
        {
            cancellationToken.ThrowIfCancellationRequested();
            switch (await write(item))
            {
                case SqliteUpsertOutcome.Created: created++; break;
                case SqliteUpsertOutcome.Updated: updated++; break;
                default: skipped++; break;
            }
        }
        return new GraphWriteStats(created, updated, skipped);
    }

    /// <summary>
    /// The outcome of a relationship whose endpoints exist: a new one is created; an existing one is updated only in full
    /// mode and only when its properties differ, else kept.
    /// </summary>
    public static SqliteUpsertOutcome Decide(bool exists, bool same, GraphWriteMode mode) =>
        !exists ? SqliteUpsertOutcome.Created
        : mode == GraphWriteMode.Full && !same ? SqliteUpsertOutcome.Updated
        : SqliteUpsertOutcome.Skipped;
}
