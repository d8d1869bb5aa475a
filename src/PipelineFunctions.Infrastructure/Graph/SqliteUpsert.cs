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
