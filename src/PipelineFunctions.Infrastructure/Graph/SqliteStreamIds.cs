using Microsoft.Data.Sqlite;
using static PipelineFunctions.Core.Graph.GraphNormalisation;

namespace PipelineFunctions.Infrastructure.Graph;

/// <summary>Row ids of the show's streams by stream key, read once per write and extended as streams are created.</summary>
internal sealed class SqliteStreamIds(SqliteGraphConnection graph, SqliteTransaction transaction)
{
    private readonly Dictionary<string, long> _ids = new(StringComparer.Ordinal);

    public async Task LoadAsync(CancellationToken cancellationToken)
    {
        await using var read = graph.Command("SELECT stream_key, id FROM streams WHERE show = $show", transaction);
        await using var reader = await read.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
            _ids[reader.GetString(0)] = reader.GetInt64(1);
    }

    /// <summary>The reference's create_missing_streams: a session's stream with no node gets one, described by its name.</summary>
    public async Task<long> IdCreatingMissingAsync(string stream, CancellationToken cancellationToken)
    {
        var key = StreamKey(stream);
        if (_ids.TryGetValue(key, out var id)) return id;
        await using var insert = graph.Command(
            "INSERT INTO streams (show, stream_key, stream, description) VALUES ($show, $key, $stream, $stream) RETURNING id", transaction);
        insert.Parameters.AddWithValue("$key", key);
        insert.Parameters.AddWithValue("$stream", stream);
        id = (long)(await insert.ExecuteScalarAsync(cancellationToken))!;
        _ids[key] = id;
        return id;
    }
}
