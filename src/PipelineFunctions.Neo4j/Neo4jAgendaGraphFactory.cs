using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Neo4j.Driver;
using PipelineFunctions.Core;
using PipelineFunctions.Core.Graph;
using PipelineFunctions.Infrastructure.Secrets;
using ILogger = Microsoft.Extensions.Logging.ILogger;

namespace PipelineFunctions.Neo4j;

/// <summary>
/// Opens the Neo4j graph of a show in a graph environment: the connection settings come from the secrets resolved for
/// that environment (neo4j-uri-&lt;env&gt; before neo4j-uri, ...), one driver (a connection pool, thread-safe) and one
/// bookmark manager are kept per server and credentials for the app's lifetime, and every open checks connectivity, then
/// ensures the schema, as the SQLite factory does.
/// <para>
/// A failure fails the open with one message: a <see cref="PipelineInputException"/> when the configuration is wrong (a
/// URI the driver refuses, a refused sign-in, a database that does not exist), else a
/// <see cref="Neo4jGraphUnavailableException"/> naming the environment and the URI without credentials. Nothing failed is
/// kept: the next open tries again.
/// </para>
/// </summary>
public sealed class Neo4jAgendaGraphFactory : IAgendaGraphFactory, IAsyncDisposable
{
    private readonly ConcurrentDictionary<string, Lazy<Connection>> _connections = new(StringComparer.Ordinal);
    private readonly PipelineSecretResolver _secrets;
    private readonly ILoggerFactory _loggers;
    private readonly ILogger _logger;
    private readonly Neo4jGraphOptions _options;
    private readonly string _database;

    public Neo4jAgendaGraphFactory(PipelineSecretResolver secrets, ILoggerFactory loggers, IOptions<Neo4jGraphOptions> options)
    {
        ArgumentNullException.ThrowIfNull(secrets);
        ArgumentNullException.ThrowIfNull(loggers);
        ArgumentNullException.ThrowIfNull(options);
        _secrets = secrets;
        _loggers = loggers;
        _logger = loggers.CreateLogger<Neo4jAgendaGraph>();
        _options = options.Value;
        _database = _options.Database.Trim();
    }

    /// <exception cref="PipelineInputException">The identity, the secrets or NEO4J_DATABASE are wrong, or the server refused the sign-in.</exception>
    /// <exception cref="Neo4jGraphUnavailableException">The server could not be reached, or failed after the driver's retries.</exception>
    public async Task<IAgendaGraph> OpenAsync(GraphIdentity identity, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(identity);
        identity.EnsureUsable();

        var settings = await _secrets.ResolveNeo4jAsync(identity.Environment, cancellationToken);
        var connection = Connect(settings);

        Neo4jAgendaGraph graph;
        try
        {
            graph = new Neo4jAgendaGraph(connection.Driver, _database, connection.Bookmarks, identity, _logger);
        }
        catch (ArgumentException e)
        {
            throw new PipelineInputException("graph identity", e.Message, field: "event.main_event_name", inner: e);
        }

        // Checked on every open, not once per driver: a server that went away since is reported here, plainly, rather
        // than as the first schema statement's error after the driver's retries. The driver's check takes no token.
        try
        {
            await connection.Driver.VerifyConnectivityAsync().WaitAsync(cancellationToken);
        }
        catch (SecurityException e) when (!e.IsRetriable)
        {
            throw new PipelineInputException(SecretsText(settings),
                $"the server refused user '{settings.Username}' ({e.Message}); check neo4j-username and " +
                $"{string.Join(" / ", PipelineSecretNames.Candidates(PipelineSecretNames.Neo4jPassword, settings.Environment))}",
                field: PipelineSecretNames.Neo4jPassword, inner: e);
        }
        catch (Neo4jException e)
        {
            throw Unavailable(settings, "cannot be reached", e);
        }

        try
        {
            await graph.EnsureSchemaAsync(cancellationToken);
        }
        catch (FatalDiscoveryException e)
        {
            throw new PipelineInputException($"app setting {Neo4jGraphOptions.DatabaseSetting}",
                $"the {settings.Environment} graph at {settings.DisplayUri} has no database '{_database}' ({e.Message})",
                field: Neo4jGraphOptions.DatabaseSetting, inner: e);
        }
        catch (SecurityException e) when (!e.IsRetriable)
        {
            throw new PipelineInputException(SecretsText(settings),
                $"user '{settings.Username}' may not create the graph's constraints in database '{_database}' ({e.Message})",
                field: PipelineSecretNames.Neo4jUsername, inner: e);
        }
        catch (Neo4jException e) when (e.IsRetriable)
        {
            // Retriable errors reach here only after the driver's retries ran out.
            throw Unavailable(settings, "failed while its schema was ensured", e);
        }
        return graph;
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var connection in _connections.Values.Where(c => c.IsValueCreated))
            await connection.Value.Driver.DisposeAsync();
        _connections.Clear();
    }

    /// <summary>The driver for these settings, created on first use. A creation that throws is not kept, so a corrected
    /// secret (or a retry) gets a new attempt rather than the cached failure.</summary>
    private Connection Connect(Neo4jConnectionSettings settings)
    {
        var key = $"{settings.Uri}\n{settings.Username}\n{Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(settings.Password)))}";
        var lazy = _connections.GetOrAdd(key, _ => new Lazy<Connection>(() => Create(settings), LazyThreadSafetyMode.ExecutionAndPublication));
        try
        {
            return lazy.Value;
        }
        catch
        {
            _connections.TryRemove(KeyValuePair.Create(key, lazy));
            throw;
        }
    }

    private Connection Create(Neo4jConnectionSettings settings)
    {
        _logger.LogInformation("Connecting to the {Environment} graph at {Neo4jUri}, database {Database}", settings.Environment, settings.DisplayUri,
            _database);
        // Credentials travel in the auth token only: a user:password@ in the URI would otherwise show in the driver's messages.
        var uri = new UriBuilder(settings.Uri) { UserName = "", Password = "" }.Uri;
        IDriver driver;
        try
        {
            driver = GraphDatabase.Driver(uri, AuthTokens.Basic(settings.Username, settings.Password), config => config
                .WithMaxTransactionRetryTime(_options.MaxTransactionRetryTime)
                .WithConnectionAcquisitionTimeout(TimeSpan.FromSeconds(60))
                .WithMaxConnectionPoolSize(50)
                .WithLogger(new Neo4jDriverLogger(_loggers.CreateLogger("Neo4j.Driver"))));
        }
        catch (Exception e) when (e is ArgumentException or NotSupportedException or UriFormatException)
        {
            throw new PipelineInputException(SecretsText(settings),
                $"Neo4j.Driver refuses the URI for {settings.DisplayUri} ({e.GetType().Name}; its query is not shown): " +
                "a bolt:// URI takes no query, a neo4j:// query is key=value pairs",
                field: settings.UriSecret, inner: e);
        }
        // One bookmark manager for every session of this driver: a read then waits for the writes made before it.
        return new Connection(driver, GraphDatabase.BookmarkManagerFactory.NewBookmarkManager(new BookmarkManagerConfig()));
    }

    private static Neo4jGraphUnavailableException Unavailable(Neo4jConnectionSettings settings, string what, Exception inner) =>
        new($"The {settings.Environment} graph at {settings.DisplayUri} {what}: {inner.Message}", settings.Environment, settings.DisplayUri, inner);

    private static string SecretsText(Neo4jConnectionSettings settings) =>
        $"Neo4j secrets for the {settings.Environment} graph ({settings.DisplayUri})";

    private sealed record Connection(IDriver Driver, IBookmarkManager Bookmarks);
}
