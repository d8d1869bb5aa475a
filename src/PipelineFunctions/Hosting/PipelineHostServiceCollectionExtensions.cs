using Azure.Core;
using Azure.Core.Serialization;
using Azure.Identity;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using PipelineFunctions.Core.Graph;
using PipelineFunctions.Core.Orchestration;
using PipelineFunctions.Infrastructure.Graph;
using PipelineFunctions.Infrastructure.Secrets;
#if NEO4J_ADAPTER
using PipelineFunctions.Neo4j;
#endif

namespace PipelineFunctions.Hosting;

/// <summary>
/// The app's composition root: settings, the JSON conventions, the secrets, the graph adapter the settings choose, and
/// Core's activities and run starter. Program.cs calls it for the Functions host; the real-engine tests call it too, so
/// they run the app's own wiring.
/// </summary>
public static class PipelineHostServiceCollectionExtensions
{
    public static IServiceCollection AddPipelineFunctions(this IServiceCollection services, IConfiguration configuration)
    {
        services.Configure<WorkerOptions>(options => options.Serializer = new JsonObjectSerializer(AzureHostJson.Options));

        var settings = AzureHostSettings.From(name => configuration[name]);
        services.AddSingleton(settings);
        services.AddSingleton(TimeProvider.System);
        // In Azure, AZURE_CLIENT_ID names the app's user-assigned identity, which DefaultAzureCredential then uses;
        // locally it is the developer's Azure CLI sign-in. Nothing is asked of it until a vault or blob URL is used.
        services.AddSingleton<TokenCredential>(_ => new DefaultAzureCredential());
        services.AddSingleton(sp => PipelineSecretResolver.Create(settings.KeyVaultUri, sp.GetRequiredService<TokenCredential>(), name => configuration[name]));
        AddGraph(services, configuration, settings);
        services.AddSingleton<IPipelineServices>(sp => new AzurePipelineServices(settings, sp.GetRequiredService<IAgendaGraphFactory>(),
            sp.GetRequiredService<PipelineSecretResolver>(), sp.GetRequiredService<ILoggerFactory>(), sp.GetRequiredService<TimeProvider>(),
            AppContext.BaseDirectory));
        services.AddSingleton(sp => new PipelineActivities(sp.GetRequiredService<IPipelineServices>()));
        services.AddSingleton<PipelineRunStarter>();
        return services;
    }

    private static void AddGraph(IServiceCollection services, IConfiguration configuration, AzureHostSettings settings)
    {
        if (!settings.UsesNeo4j)
        {
            services.AddSingleton<IAgendaGraphFactory>(new SqliteAgendaGraphFactory(settings.GraphFolder!));
            return;
        }
#if NEO4J_ADAPTER
        services.AddNeo4jAgendaGraph(configuration);
#else
        _ = configuration;
        services.AddSingleton<IAgendaGraphFactory, MissingNeo4jAdapterGraphFactory>();
#endif
    }
}
