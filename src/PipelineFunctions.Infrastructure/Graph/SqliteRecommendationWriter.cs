using System.Globalization;
using System.Runtime.CompilerServices;
using PipelineFunctions.Core.Graph;

namespace PipelineFunctions.Infrastructure.Graph;

/// <summary>
/// Step 4's write-back: replaces visitors' IS_RECOMMENDED links and sets their recommendation and control-group flags, in
/// one transaction shaped for half a million links.
/// </summary>
internal sealed class SqliteRecommendationWriter(SqliteGraphConnection graph)
{
    /// <summary>
    /// Replaces the IS_RECOMMENDED links of <paramref name="badgeIds"/> (their old links count as Deleted), then sets
    /// has_recommendation = whether the visitor got at least one link, and control_group = whether it is in
    /// <paramref name="controlGroup"/>. A link to a missing visitor or session is skipped; a duplicate (visitor,
    /// session) overwrites the earlier one and counts as Updated.
    /// </summary>
    /// <exception cref="ArgumentException">A link or control-group member is not among <paramref name="badgeIds"/>, or a score is not
    /// finite.</exception>
    public async Task<GraphWriteStats> StoreRecommendationsAsync(IReadOnlyList<string> badgeIds, IReadOnlyList<RecommendationLink> links,
        IReadOnlyCollection<string> controlGroup, DateTimeOffset generatedAt, CancellationToken cancellationToken)
    {
        var replacement = RecommendationReplacement.Check(badgeIds, links, controlGroup);
        var (given, controlSet) = (replacement.Visitors, replacement.ControlGroup);
        // Refused as before, when binding the null key to the lookup failed the write.
        if (given.Contains(null!))
            throw new InvalidOperationException("A badge id whose recommendations are replaced is null.");

        using var _ = graph.Exclusive();
        // Every row id the write references is read inside its transaction (see WithoutForeignKeyChecksAsync).
        return await graph.WithoutForeignKeyChecksAsync(async () =>
        {
            await using var transaction = graph.BeginWrite();
            var stats = ReplaceRecommendations(given, links, controlSet, generatedAt, cancellationToken);
            await transaction.CommitAsync(cancellationToken);
            return stats;
        });
    }

    /// <summary>
    /// The write of <see cref="StoreRecommendationsAsync"/>, shaped for 500k links: native prepared statements (see
    /// <see cref="SqliteNativeStatement"/>), one lookup per distinct key, each visitor's old links deleted (unless it is
    /// recommended the same sessions again: then they are overwritten) and flags set in one pass (and only when needed), and
    /// its new links deduplicated in memory and written in primary-key order, many rows per statement.
    /// </summary>
    // Runs once per step 4 over every link: compiled optimized at once rather than first in the slow JIT tier.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private GraphWriteStats ReplaceRecommendations(HashSet<string> given, IReadOnlyList<RecommendationLink> links, HashSet<string> controlSet,
        DateTimeOffset generatedAt, CancellationToken cancellationToken)
    {
        // Each link's session (row id) and visitor (index in badges); a link to a missing session is skipped.
        var badges = given.ToArray();
        var badgeIndex = new Dictionary<string, int>(badges.Length, StringComparer.Ordinal);
        for (var b = 0; b < badges.Length; b++) badgeIndex[badges[b]] = b;
        var linkBadge = new int[links.Count];
        var linkSession = new long[links.Count];
        var bucketStart = new int[badges.Length + 1];
        // Session id to an index in sessionRowIds, or -1 when missing (int values: generic code the runtime ships precompiled).
        var sessionSlots = new Dictionary<string, int>(StringComparer.Ordinal);
        var sessionRowIds = new List<long>();
        long skipped = 0;
        using (var findSession = SqliteNativeStatement.Prepare(graph.Connection,
            "SELECT id FROM sessions WHERE show = ?1 AND label = ?2 AND session_id = ?3"))
        {
            findSession.Bind(1, graph.Show).Bind(2, GraphLabels.SessionsThisYear);
            for (var i = 0; i < links.Count; i++)
            {
                var link = links[i];
                var sessionId = link.SessionId ?? "";
                if (!sessionSlots.TryGetValue(sessionId, out var slot))
                {
                    slot = -1;
                    if (findSession.Bind(3, sessionId).QueryInt64() is { } row)
                    {
                        slot = sessionRowIds.Count;
                        sessionRowIds.Add(row);
                    }
                    sessionSlots[sessionId] = slot;
                }
                if (slot < 0)
                {
                    (linkBadge[i], skipped) = (-1, skipped + 1);
                    continue;
                }
                var badge = badgeIndex[link.BadgeId];
                (linkBadge[i], linkSession[i]) = (badge, sessionRowIds[slot]);
                bucketStart[badge + 1]++;
            }
        }

        // Links grouped by visitor (a counting sort, keeping input order within a visitor).
        for (var b = 0; b < badges.Length; b++) bucketStart[b + 1] += bucketStart[b];
        var grouped = new int[bucketStart[badges.Length]];
        var next = bucketStart[..badges.Length];
        for (var i = 0; i < links.Count; i++)
            if (linkBadge[i] >= 0) grouped[next[linkBadge[i]]++] = i;

        // Each visitor: its old links deleted and its flags set, right where its row is read (both only when needed). A
        // visitor recommended the same sessions again keeps its links, overwritten in place by the insert below: that
        // leaves the session index untouched. All old links count as Deleted either way, as the replacement is the same.
        var visitors = new List<(long Id, int Badge, bool Overwrite)>(badges.Length);
        var oldSessions = new List<long>();
        long deleted = 0;
        using (var findVisitor = SqliteNativeStatement.Prepare(graph.Connection, """
            SELECT v.id, coalesce(f.has_recommendation, 0), coalesce(f.control_group, 0),
                EXISTS (SELECT 1 FROM is_recommended r WHERE r.visitor = v.id)
            FROM visitors v LEFT JOIN visitor_flags f ON f.visitor = v.id WHERE v.show = ?1 AND v.label = ?2 AND v.badge_id = ?3
            """))
        using (var findLinked = SqliteNativeStatement.Prepare(graph.Connection, "SELECT session FROM is_recommended WHERE visitor = ?1"))
        using (var unlink = SqliteNativeStatement.Prepare(graph.Connection, "DELETE FROM is_recommended WHERE visitor = ?1"))
        using (var flag = SqliteNativeStatement.Prepare(graph.Connection, """
            INSERT INTO visitor_flags (visitor, has_recommendation, control_group) VALUES (?3, ?1, ?2)
            ON CONFLICT (visitor) DO UPDATE SET has_recommendation = excluded.has_recommendation, control_group = excluded.control_group
            """))
        using (var unflag = SqliteNativeStatement.Prepare(graph.Connection, "DELETE FROM visitor_flags WHERE visitor = ?1"))
        {
            findVisitor.Bind(1, graph.Show).Bind(2, GraphLabels.VisitorThisYear);
            Span<long> row = stackalloc long[4];
            for (var b = 0; b < badges.Length; b++)
            {
                if (b % 1024 == 0) cancellationToken.ThrowIfCancellationRequested();
                var (start, end) = (bucketStart[b], bucketStart[b + 1]);
                if (!findVisitor.Bind(3, badges[b]).QueryRow(row))
                {
                    skipped += end - start;
                    continue;
                }
                var (id, has, control) = (row[0], end > start ? 1L : 0L, controlSet.Contains(badges[b]) ? 1L : 0L);
                var overwrite = false;
                if (row[3] != 0)
                {
                    findLinked.Bind(1, id).QueryColumn(oldSessions);
                    overwrite = SameSessions(oldSessions, grouped, start, end, linkSession);
                    if (!overwrite) unlink.Bind(1, id).Execute();
                    deleted += oldSessions.Count;
                }
                // Written only when a flag changes; a visitor with neither flag has no row.
                if (row[1] != has || row[2] != control)
                {
                    if (has == 0 && control == 0) unflag.Bind(1, id).Execute();
                    else flag.Bind(1, has).Bind(2, control).Bind(3, id).Execute();
                }
                if (end > start) visitors.Add((id, b, overwrite));
            }
        }
        // Visitors in row-id order, so that links go in in the primary key's order.
        visitors.Sort((x, y) => x.Id.CompareTo(y.Id));

        long created = 0, updated = 0;
        if (visitors.Count == 0) return new GraphWriteStats(created, updated, skipped, deleted);
        // generated_at is stored once for the write, not in each of its (millions of) links.
        long writeId;
        using (var write = SqliteNativeStatement.Prepare(graph.Connection,
            "INSERT INTO recommendation_writes (show, generated_at) VALUES (?1, ?2) RETURNING id"))
            writeId = write.Bind(1, graph.Show).Bind(2, generatedAt.ToString("O", CultureInfo.InvariantCulture)).QueryInt64()!.Value;
        using (var insert = new SqliteRecommendationInserter(graph.Connection, graph.Show, writeId, overwrite: false))
        using (var overwrite = new SqliteRecommendationInserter(graph.Connection, graph.Show, writeId, overwrite: true))
        {
            for (var v = 0; v < visitors.Count; v++)
            {
                if (v % 1024 == 0) cancellationToken.ThrowIfCancellationRequested();
                // A visitor's links by (session, position): a duplicate (visitor, session) overwrites the earlier one,
                // so the last of each run of equal sessions is written, and the others count as Updated.
                var (id, badge, sameSessions) = visitors[v];
                // The plain insert is the cheaper statement: the overwriting one only for links that all exist.
                var writer = sameSessions ? overwrite : insert;
                var (start, end) = (bucketStart[badge], bucketStart[badge + 1]);
                SortBySessionThenPosition(grouped, start, end, linkSession);
                for (var j = start; j < end; j++)
                {
                    var link = grouped[j];
                    if (j + 1 < end && linkSession[grouped[j + 1]] == linkSession[link]) { updated++; continue; }
                    writer.Add(id, linkSession[link], links[link].SimilarityScore);
                    created++;
                }
            }
            insert.Flush();
            overwrite.Flush();
        }
        return new GraphWriteStats(created, updated, skipped, deleted);
    }

    /// <summary>Whether the links at <c>grouped[start..end)</c> go to exactly the sessions <paramref name="old"/> (in any order,
    /// repeats allowed).</summary>
    private static bool SameSessions(List<long> old, int[] grouped, int start, int end, long[] linkSession)
    {
        for (var j = start; j < end; j++)
            if (!old.Contains(linkSession[grouped[j]])) return false;
        foreach (var session in old)
        {
            var found = false;
            for (var j = start; j < end && !found; j++) found = linkSession[grouped[j]] == session;
            if (!found) return false;
        }
        return true;
    }

    /// <summary>Sorts link positions <c>grouped[start..end)</c> by (session row id, position).</summary>
    private static void SortBySessionThenPosition(int[] grouped, int start, int end, long[] linkSession)
    {
        if (end - start > 16)
        {
            Array.Sort(grouped, start, end - start,
                Comparer<int>.Create((a, b) => linkSession[a] != linkSession[b] ? linkSession[a].CompareTo(linkSession[b]) : a.CompareTo(b)));
            return;
        }
        // Usually about ten links: an insertion sort, without a comparer's calls.
        for (var j = start + 1; j < end; j++)
        {
            var link = grouped[j];
            var k = j - 1;
            for (; k >= start
                   && (linkSession[grouped[k]] > linkSession[link] || (linkSession[grouped[k]] == linkSession[link] && grouped[k] > link)); k--)
                grouped[k + 1] = grouped[k];
            grouped[k + 1] = link;
        }
    }
}
