using Azure.Core;
using Azure.Core.Serialization;
using Azure.Identity;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using PipelineFunctions.Core.Graph;
using PipelineFunctions.Core.Orchestration;
using PipelineFunctions.Core.Orchestration.Notifications;
using PipelineFunctions.Infrastructure.Graph;
using PipelineFunctions.Infrastructure.Notifications;
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
internal static class PipelineHostServiceCollectionExtensions
{
    public static IServiceCollection AddPipelineFunctions(this IServiceCollection services, IConfiguration configuration)
    {
        services.Configure<WorkerOptions>(options => options.Serializer = new JsonObjectSerializer(AzureHostJson.Options));

        // The app settings, bound under their own names and checked when the host starts (one message naming the setting).
        services.AddOptions<AzureHostOptions>().Bind(configuration).ValidateOnStart();
        services.AddSingleton<IValidateOptions<AzureHostOptions>, AzureHostOptionsValidator>();
        services.AddSingleton(TimeProvider.System);
        // In Azure, AZURE_CLIENT_ID names the app's user-assigned identity, which DefaultAzureCredential then uses;
        // locally it is the developer's Azure CLI sign-in. Nothing is asked of it until a vault or blob URL is used.
        services.AddSingleton<TokenCredential>(_ => new DefaultAzureCredential());
        services.AddSingleton(sp => PipelineSecretResolver.Create(Options(sp).KeyVaultUri, sp.GetRequiredService<TokenCredential>(),
            name => configuration[name]));
        AddGraph(services, configuration);
        // The webhook is a secret like the others (NOTIFY_WEBHOOK_URL, a Key Vault reference in Azure, then the vault),
        // looked up at each run's end, so adding or rotating it needs no restart; none set: no notifications.
        services.AddRunNotificationOptions(configuration);
        services.AddSingleton<IRunNotifier>(sp => new WebhookRunNotifier(sp.GetRequiredService<IOptions<RunNotificationOptions>>().Value,
            sp.GetRequiredService<PipelineSecretResolver>().ResolveRunNotificationWebhookAsync, sp.GetRequiredService<ILogger<WebhookRunNotifier>>(),
            sp.GetRequiredService<TimeProvider>()));
        services.AddSingleton<IPipelineServices>(sp => new AzurePipelineServices(Options(sp), sp.GetRequiredService<IAgendaGraphFactory>(),
            sp.GetRequiredService<PipelineSecretResolver>(), sp.GetRequiredService<ILoggerFactory>(), sp.GetRequiredService<TimeProvider>(),
            AppContext.BaseDirectory, sp.GetRequiredService<IRunNotifier>()));
        services.AddSingleton(sp => new PipelineActivities(sp.GetRequiredService<IPipelineServices>()));
        services.AddSingleton<PipelineRunStarter>();
        return services;
    }

    private static AzureHostOptions Options(IServiceProvider services) => services.GetRequiredService<IOptions<AzureHostOptions>>().Value;

    private static void AddGraph(IServiceCollection services, IConfiguration configuration)
    {
        // Which adapter is registered depends on PIPELINE_GRAPH, so it is read here; a bad value fails at start.
        if (!(configuration.Get<AzureHostOptions>() ?? new AzureHostOptions()).UsesNeo4j)
        {
            services.AddSingleton<IAgendaGraphFactory>(sp => new SqliteAgendaGraphFactory(Options(sp).GraphFolder!));
            return;
        }
#if NEO4J_ADAPTER
        services.AddNeo4jAgendaGraph(configuration);
#else
        services.AddSingleton<IAgendaGraphFactory, MissingNeo4jAdapterGraphFactory>();
#endif
    }
}
