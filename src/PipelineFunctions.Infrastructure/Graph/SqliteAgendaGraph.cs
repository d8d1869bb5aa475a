using Microsoft.Data.Sqlite;
using PipelineFunctions.Core.Graph;

namespace PipelineFunctions.Infrastructure.Graph;

/// <summary>
/// The agenda graph in an embedded SQLite file (the default adapter; see <see cref="SqliteGraphSchema"/> for the tables).
/// A facade over one connection: nodes are written by <see cref="SqliteNodeWriter"/>, relationships by
/// <see cref="SqliteRelationshipWriter"/>, embeddings by <see cref="SqliteEmbeddingWriter"/>, step 4's recommendations by
/// <see cref="SqliteRecommendationWriter"/>, and everything is read by <see cref="SqliteGraphReader"/>.
/// Every write is one transaction of prepared commands reused across rows; every read is one query, ordered by key.
/// <para>
/// Not for concurrent use: an instance owns one connection, and a second call while one runs throws. Parallel workers
/// each open their own instance from <see cref="SqliteAgendaGraphFactory"/>; instances on the same file may write at
/// the same time (WAL journal, and a writer waits up to <see cref="BusyTimeout"/> for another's transaction).
/// </para>
/// <para>
/// Semantics shared with the Neo4j adapter (<see cref="Neo4jCypher"/>): full mode merges properties like
/// <c>SET n += row.properties</c> (given keys are set, others kept); a null property value is stored as "";
/// session stream names are trimmed and blank ones dropped (<see cref="GraphNormalisation"/>); a duplicate key within one
/// call counts as a second write of the same node (the last one wins).
/// </para>
/// </summary>
public sealed class SqliteAgendaGraph : IAgendaGraph
{
    /// <summary>How long a write waits for another instance's transaction on the same file before failing.</summary>
    public static readonly TimeSpan BusyTimeout = TimeSpan.FromSeconds(60);

    private readonly SqliteGraphConnection _graph;
    private readonly SqliteNodeWriter _nodes;
    private readonly SqliteRelationshipWriter _relationships;
    private readonly SqliteEmbeddingWriter _embeddings;
    private readonly SqliteRecommendationWriter _recommendations;
    private readonly SqliteGraphReader _reader;

    private SqliteAgendaGraph(SqliteGraphConnection graph)
    {
        _graph = graph;
        _nodes = new SqliteNodeWriter(graph);
        _relationships = new SqliteRelationshipWriter(graph);
        _embeddings = new SqliteEmbeddingWriter(graph);
        _recommendations = new SqliteRecommendationWriter(graph);
        _reader = new SqliteGraphReader(graph);
    }

    public string Show => _graph.Show;

    public string DatabasePath => _graph.DatabasePath;

    internal static async Task<SqliteAgendaGraph> OpenAsync(string databasePath, GraphIdentity identity, CancellationToken cancellationToken)
    {
        var connectionString = new SqliteConnectionStringBuilder
        {
            DataSource = databasePath,
            Mode = SqliteOpenMode.ReadWriteCreate,
            // No pool: disposing the graph closes the file (and checkpoints the WAL), so it can be moved or deleted.
            Pooling = false,
            ForeignKeys = true,
            DefaultTimeout = (int)BusyTimeout.TotalSeconds,
        }.ToString();
        var connection = new SqliteConnection(connectionString);
        try
        {
            await connection.OpenAsync(cancellationToken);
            await using (var pragmas = connection.CreateCommand())
            {
                pragmas.CommandText = SqliteGraphSchema.ConnectionPragmas(BusyTimeout);
                await pragmas.ExecuteNonQueryAsync(cancellationToken);
            }
            var graph = new SqliteAgendaGraph(new SqliteGraphConnection(connection, identity, databasePath));
            await graph.EnsureSchemaAsync(cancellationToken);
            return graph;
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }

    public async Task EnsureSchemaAsync(CancellationToken cancellationToken = default)
    {
        using var _ = _graph.Exclusive();
        // Microsoft.Data.Sqlite runs its async calls synchronously anyway: the shared schema helper is synchronous.
        await Task.CompletedTask;
        cancellationToken.ThrowIfCancellationRequested();
        SqliteGraphSchema.Ensure(_graph.Connection, DatabasePath);
    }

    // Nodes.

    public Task<GraphWriteStats> UpsertVisitorsAsync(VisitorKind kind, IReadOnlyList<VisitorNode> visitors, GraphWriteMode mode,
        CancellationToken cancellationToken = default) =>
        _nodes.UpsertVisitorsAsync(kind, visitors, mode, cancellationToken);

    public Task<GraphWriteStats> UpsertSessionsAsync(SessionYear year, IReadOnlyList<SessionNode> sessions, GraphWriteMode mode,
        CancellationToken cancellationToken = default) =>
        _nodes.UpsertSessionsAsync(year, sessions, mode, cancellationToken);

    public Task<GraphWriteStats> UpsertStreamsAsync(IReadOnlyList<StreamNode> streams, GraphWriteMode mode,
        CancellationToken cancellationToken = default) =>
        _nodes.UpsertStreamsAsync(streams, mode, cancellationToken);

    // Relationships.

    public Task<GraphWriteStats> LinkVisitorStreamsAsync(VisitorKind kind, VisitorStreamRelation relation, IReadOnlyList<VisitorStreamLink> links,
        GraphWriteMode mode, CancellationToken cancellationToken = default) =>
        _relationships.LinkVisitorStreamsAsync(kind, relation, links, cancellationToken);

    public Task<GraphWriteStats> LinkSameVisitorsAsync(IReadOnlyList<SameVisitorLink> links, GraphWriteMode mode,
        CancellationToken cancellationToken = default) =>
        _relationships.LinkSameVisitorsAsync(links, mode, cancellationToken);

    public Task<GraphWriteStats> LinkAttendedSessionsAsync(VisitorKind pastKind, IReadOnlyList<AttendanceLink> links, GraphWriteMode mode,
        CancellationToken cancellationToken = default) =>
        _relationships.LinkAttendedSessionsAsync(pastKind, links, mode, cancellationToken);

    // Reads.

    public Task<IReadOnlyList<VisitorNode>> ReadVisitorsAsync(VisitorKind kind, bool onlyWithoutRecommendation = false,
        CancellationToken cancellationToken = default) =>
        _reader.ReadVisitorsAsync(kind, onlyWithoutRecommendation, null, cancellationToken);

    /// <summary>The other columns' values are skipped as each visitor's properties are decoded, never allocated.</summary>
    public Task<IReadOnlyList<VisitorNode>> ReadVisitorColumnsAsync(VisitorKind kind, IReadOnlySet<string> columns,
        bool onlyWithoutRecommendation = false, CancellationToken cancellationToken = default) =>
        _reader.ReadVisitorsAsync(kind, onlyWithoutRecommendation, columns, cancellationToken);

    public Task<IReadOnlyList<SessionNode>> ReadSessionsAsync(SessionYear year, CancellationToken cancellationToken = default) =>
        _reader.ReadSessionsAsync(year, cancellationToken);

    public Task<IReadOnlyList<StreamNode>> ReadStreamsAsync(CancellationToken cancellationToken = default) =>
        _reader.ReadStreamsAsync(cancellationToken);

    public Task<IReadOnlyList<VisitorStreamLink>> ReadVisitorStreamsAsync(VisitorKind kind, VisitorStreamRelation relation,
        CancellationToken cancellationToken = default) =>
        _reader.ReadVisitorStreamsAsync(kind, relation, cancellationToken);

    public Task<IReadOnlyList<SameVisitorLink>> ReadSameVisitorsAsync(CancellationToken cancellationToken = default) =>
        _reader.ReadSameVisitorsAsync(cancellationToken);

    public Task<IReadOnlyList<AttendanceLink>> ReadAttendedSessionsAsync(VisitorKind pastKind, CancellationToken cancellationToken = default) =>
        _reader.ReadAttendedSessionsAsync(pastKind, cancellationToken);

    // Embeddings.

    public Task<IReadOnlyList<EmbeddingStamp>> ReadEmbeddingStampsAsync(CancellationToken cancellationToken = default) =>
        _reader.ReadEmbeddingStampsAsync(cancellationToken);

    public Task<GraphWriteStats> StoreEmbeddingsAsync(IReadOnlyList<SessionEmbedding> embeddings, CancellationToken cancellationToken = default) =>
        _embeddings.StoreEmbeddingsAsync(embeddings, cancellationToken);

    public Task<IReadOnlyList<SessionEmbedding>> ReadEmbeddingsAsync(SessionYear year, CancellationToken cancellationToken = default) =>
        _reader.ReadEmbeddingsAsync(year, cancellationToken);

    // Recommendations and counts.

    /// <inheritdoc cref="SqliteRecommendationWriter.StoreRecommendationsAsync"/>
    public Task<GraphWriteStats> StoreRecommendationsAsync(IReadOnlyList<string> badgeIds, IReadOnlyList<RecommendationLink> links,
        IReadOnlyCollection<string> controlGroup, DateTimeOffset generatedAt, CancellationToken cancellationToken = default) =>
        _recommendations.StoreRecommendationsAsync(badgeIds, links, controlGroup, generatedAt, cancellationToken);

    public Task<IReadOnlyList<RecommendationLink>> ReadRecommendationsAsync(CancellationToken cancellationToken = default) =>
        _reader.ReadRecommendationsAsync(cancellationToken);

    public Task<GraphCounts> CountAsync(CancellationToken cancellationToken = default) => _reader.CountAsync(cancellationToken);

    public ValueTask DisposeAsync() => _graph.DisposeAsync();
}
