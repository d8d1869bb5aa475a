using Microsoft.Data.Sqlite;
using PipelineFunctions.Core.Graph;

namespace PipelineFunctions.Infrastructure.Tests.Graph;

/// <summary>Identities and node builders shared by the graph tests.</summary>
internal static class GraphData
{
    public static readonly GraphIdentity VetLva = new("vet_lva", "lva", "bva", "dev");
    public static readonly GraphIdentity VetBva = new("vet_bva", "bva", "lva", "dev");

    public static VisitorNode Visitor(string badgeId, params (string Key, string Value)[] properties) =>
        new(badgeId, Properties([("BadgeId", badgeId), .. properties]));

    public static SessionNode Session(string sessionId, string[] streams, params (string Key, string Value)[] properties) =>
        new(sessionId, streams, Properties([("session_id", sessionId), .. properties]));

    public static IReadOnlyDictionary<string, string> Properties(params (string Key, string Value)[] properties)
    {
        var dictionary = new OrderedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var (key, value) in properties) dictionary[key] = value;
        return dictionary;
    }

    /// <summary>A query straight on the database file, for what the port does not show (column types, files).</summary>
    public static async Task<object?> ScalarAsync(string databasePath, string sql, params (string Name, object Value)[] parameters)
    {
        await using var connection = new SqliteConnection(
            new SqliteConnectionStringBuilder { DataSource = databasePath, Mode = SqliteOpenMode.ReadOnly, Pooling = false }.ToString());
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        foreach (var (name, value) in parameters) command.Parameters.AddWithValue(name, value);
        return await command.ExecuteScalarAsync();
    }
}
