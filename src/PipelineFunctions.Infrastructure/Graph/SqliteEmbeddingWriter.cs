using Microsoft.Data.Sqlite;
using PipelineFunctions.Core.Graph;
using static PipelineFunctions.Infrastructure.Graph.SqliteGraphValues;

namespace PipelineFunctions.Infrastructure.Graph;

/// <summary>Stores step 3's session embeddings as float32 blobs, with the text hash and model they were computed from.</summary>
internal sealed class SqliteEmbeddingWriter(SqliteGraphConnection graph)
{
    /// <summary>An identical stored embedding is skipped, a changed one updated; a session that no longer exists is skipped.</summary>
    public async Task<GraphWriteStats> StoreEmbeddingsAsync(IReadOnlyList<SessionEmbedding> embeddings, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(embeddings);
        for (var i = 0; i < embeddings.Count; i++)
            if (embeddings[i].Vector is not { Length: > 0 })
                throw new ArgumentException($"embeddings[{i}] (session '{embeddings[i].SessionId}'): the vector is empty", nameof(embeddings));
        using var _ = graph.Exclusive();
        await using var transaction = graph.BeginWrite();

        await using var find = graph.Command("""
            SELECT s.id, e.session IS NOT NULL, e.text_hash, e.model, e.vector
            FROM sessions s LEFT JOIN session_embeddings e ON e.session = s.id
            WHERE s.show = $show AND s.label = $label AND s.session_id = $sessionId
            """, transaction);
        var findLabel = find.Parameters.Add("$label", SqliteType.Text);
        var findSessionId = find.Parameters.Add("$sessionId", SqliteType.Text);
        await using var upsert = graph.Command("""
            INSERT INTO session_embeddings (session, show, text_hash, model, dimensions, vector)
            VALUES ($session, $show, $textHash, $model, $dimensions, $vector)
            ON CONFLICT (session) DO UPDATE
            SET text_hash = excluded.text_hash, model = excluded.model, dimensions = excluded.dimensions, vector = excluded.vector
            """, transaction);
        var upsertSession = upsert.Parameters.Add("$session", SqliteType.Integer);
        var upsertTextHash = upsert.Parameters.Add("$textHash", SqliteType.Text);
        var upsertModel = upsert.Parameters.Add("$model", SqliteType.Text);
        var upsertDimensions = upsert.Parameters.Add("$dimensions", SqliteType.Integer);
        var upsertVector = upsert.Parameters.Add("$vector", SqliteType.Blob);
        SqliteGraphConnection.PrepareAll(find, upsert);

        var stats = await SqliteUpsert.ForEachWithEndpointsAsync(embeddings, find,
            embedding =>
            {
                findLabel.Value = GraphLabels.Session(embedding.Year);
                findSessionId.Value = embedding.SessionId ?? "";
            },
            (reader, embedding) => (Endpoints: reader.GetInt64(0), Exists: reader.GetBoolean(1),
                Same: reader.GetBoolean(1) && reader.GetString(2) == (embedding.TextHash ?? "") && reader.GetString(3) == (embedding.Model ?? "")
                    && VectorBytes(embedding.Vector).AsSpan().SequenceEqual(reader.GetFieldValue<byte[]>(4))),
            // Embeddings have no incremental mode: a changed one is always stored.
            GraphWriteMode.Full,
            async (embedding, session) =>
            {
                upsertSession.Value = session;
                upsertTextHash.Value = embedding.TextHash ?? "";
                upsertModel.Value = embedding.Model ?? "";
                upsertDimensions.Value = embedding.Vector.Length;
                upsertVector.Value = VectorBytes(embedding.Vector);
                await upsert.ExecuteNonQueryAsync(cancellationToken);
            }, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return stats;
    }
}
