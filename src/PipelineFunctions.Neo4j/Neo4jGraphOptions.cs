namespace PipelineFunctions.Neo4j;

/// <summary>
/// App settings of the Neo4j adapter (the connection itself comes from the secrets: neo4j-uri, neo4j-username,
/// neo4j-password). Read by <see cref="Neo4jServiceCollectionExtensions.AddNeo4jAgendaGraph"/> from the app settings'
/// flat names, a blank setting meaning the default, and validated when the host starts.
/// </summary>
public sealed class Neo4jGraphOptions
{
    public const string DatabaseSetting = "NEO4J_DATABASE";
    public const string MaxTransactionRetrySecondsSetting = "NEO4J_MAX_TRANSACTION_RETRY_SECONDS";
    public const string DefaultDatabase = "neo4j";
    public const int DefaultMaxTransactionRetrySeconds = 30;
    public const int MaxMaxTransactionRetrySeconds = 600;

    /// <summary>The database every session names: naming it spares a home-database lookup per session.</summary>
    public string Database { get; set; } = DefaultDatabase;

    /// <summary>
    /// How long the driver keeps retrying a transaction that failed transiently before it gives up (the adapter's only
    /// retry layer). Bounded, because it applies to every batch of every statement.
    /// </summary>
    public int MaxTransactionRetrySeconds { get; set; } = DefaultMaxTransactionRetrySeconds;

    public TimeSpan MaxTransactionRetryTime => TimeSpan.FromSeconds(MaxTransactionRetrySeconds);
}
