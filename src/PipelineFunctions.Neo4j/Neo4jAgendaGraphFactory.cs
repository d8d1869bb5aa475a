using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Logging;
using Neo4j.Driver;
using ILogger = Microsoft.Extensions.Logging.ILogger;
using PipelineFunctions.Core;
using PipelineFunctions.Core.Graph;
using PipelineFunctions.Infrastructure.Graph;
using PipelineFunctions.Infrastructure.Secrets;
using Polly;
using Polly.Retry;

namespace PipelineFunctions.Neo4j;

/// <summary>
/// Opens the Neo4j graph of a show in a graph environment: the connection settings come from the secrets resolved for
/// that environment (neo4j-uri-&lt;env&gt; before neo4j-uri, ...), one driver (a connection pool, thread-safe) is kept per
/// server and credentials for the app's lifetime, and the schema is ensured on open, as the SQLite factory does.
/// </summary>
public sealed class Neo4jAgendaGraphFactory(PipelineSecretResolver secrets, ILoggerFactory loggers) : IAgendaGraphFactory, IAsyncDisposable
{
    private readonly ConcurrentDictionary<string, Lazy<IDriver>> _drivers = new(StringComparer.Ordinal);
    private readonly ILogger _logger = loggers.CreateLogger<Neo4jAgendaGraph>();

    public async Task<IAgendaGraph> OpenAsync(GraphIdentity identity, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(identity);
        RequireName(identity.Show, "event.name");
        RequireName(identity.MainEventName, "event.main_event_name");
        RequireName(identity.SecondaryEventName, "event.secondary_event_name");
        if (string.Equals(identity.MainEventName, identity.SecondaryEventName, StringComparison.Ordinal))
            throw new PipelineInputException("graph identity", "must differ from event.main_event_name (they name separate visitor labels)", field: "event.secondary_event_name");

        var settings = await secrets.ResolveNeo4jAsync(identity.Environment, cancellationToken);
        var key = $"{settings.Uri}\n{settings.Username}\n{Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(settings.Password)))}";
        var driver = _drivers.GetOrAdd(key, _ => new Lazy<IDriver>(() =>
        {
            _logger.LogInformation("Connecting to the {Environment} graph at {Neo4jUri}", settings.Environment, settings.DisplayUri);
            return GraphDatabase.Driver(settings.Uri, AuthTokens.Basic(settings.Username, settings.Password), config => config
                .WithMaxTransactionRetryTime(TimeSpan.FromSeconds(60))
                .WithConnectionAcquisitionTimeout(TimeSpan.FromSeconds(60))
                .WithMaxConnectionPoolSize(50));
        })).Value;

        Neo4jAgendaGraph graph;
        try
        {
            graph = new Neo4jAgendaGraph(driver, identity, Neo4jRetry.Pipeline, _logger);
        }
        catch (ArgumentException e)
        {
            throw new PipelineInputException("graph identity", e.Message, field: "event.main_event_name", inner: e);
        }
        await graph.EnsureSchemaAsync(cancellationToken);
        return graph;
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var driver in _drivers.Values.Where(d => d.IsValueCreated))
            await driver.Value.DisposeAsync();
        _drivers.Clear();
    }

    private static void RequireName(string? value, string field)
    {
        if (string.IsNullOrWhiteSpace(value))
            throw new PipelineInputException("graph identity", "must not be empty (it names the graph's show or labels)", field: field);
    }
}

/// <summary>
/// Retries around a whole managed transaction when the server is unreachable or a transaction failed transiently
/// after the driver's own retries (leader switch, Aura instance waking up, deadlock): exponential back-off with jitter.
/// Every statement is a keyed MERGE or a replace, so a retry writes nothing twice.
/// </summary>
public static class Neo4jRetry
{
    public static ResiliencePipeline Pipeline { get; } = new ResiliencePipelineBuilder()
        .AddRetry(new RetryStrategyOptions
        {
            ShouldHandle = new PredicateBuilder()
                .Handle<ServiceUnavailableException>()
                .Handle<SessionExpiredException>()
                .Handle<TransientException>(),
            MaxRetryAttempts = 4,
            Delay = TimeSpan.FromSeconds(2),
            BackoffType = DelayBackoffType.Exponential,
            UseJitter = true,
            MaxDelay = TimeSpan.FromSeconds(30),
        })
        .Build();
}
