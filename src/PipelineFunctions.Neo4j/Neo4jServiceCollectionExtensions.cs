using System.Globalization;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using PipelineFunctions.Core.Graph;

namespace PipelineFunctions.Neo4j;

/// <summary>The one registration the Azure host calls when it is built with the Neo4j adapter.</summary>
public static class Neo4jServiceCollectionExtensions
{
    /// <summary>
    /// Registers <see cref="Neo4jAgendaGraphFactory"/> as a singleton and as <see cref="IAgendaGraphFactory"/>, with
    /// <see cref="Neo4jGraphOptions"/> read from <paramref name="configuration"/> (NEO4J_DATABASE,
    /// NEO4J_MAX_TRANSACTION_RETRY_SECONDS) and validated at start. The factory also needs a
    /// <c>PipelineSecretResolver</c> and logging, which the host registers.
    /// </summary>
    public static IServiceCollection AddNeo4jAgendaGraph(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configuration);
        services.AddOptions<Neo4jGraphOptions>()
            .Configure(options => Read(configuration, options))
            .Validate(o => !string.IsNullOrWhiteSpace(o.Database),
                $"{Neo4jGraphOptions.DatabaseSetting} must name a database (default {Neo4jGraphOptions.DefaultDatabase})")
            .Validate(o => o.MaxTransactionRetrySeconds is >= 1 and <= Neo4jGraphOptions.MaxMaxTransactionRetrySeconds,
                $"{Neo4jGraphOptions.MaxTransactionRetrySecondsSetting} must be a whole number of seconds from 1 to " +
                $"{Neo4jGraphOptions.MaxMaxTransactionRetrySeconds}")
            .ValidateOnStart();
        services.AddSingleton<Neo4jAgendaGraphFactory>();
        services.AddSingleton<IAgendaGraphFactory>(provider => provider.GetRequiredService<Neo4jAgendaGraphFactory>());
        return services;
    }

    // Read by hand rather than bound: an app setting left blank (as templates often leave it) means the default, and a
    // malformed number is reported by the validation above rather than as a binder conversion error.
    private static void Read(IConfiguration configuration, Neo4jGraphOptions options)
    {
        if (configuration[Neo4jGraphOptions.DatabaseSetting] is { } database && !string.IsNullOrWhiteSpace(database))
            options.Database = database.Trim();
        if (configuration[Neo4jGraphOptions.MaxTransactionRetrySecondsSetting] is { } seconds && !string.IsNullOrWhiteSpace(seconds))
            options.MaxTransactionRetrySeconds =
                int.TryParse(seconds.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var value) ? value : -1;
    }
}
