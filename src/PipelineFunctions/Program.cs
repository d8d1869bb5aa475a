using System.Diagnostics;
using System.Text.Json;
using Azure.Core.Serialization;
using Azure.Identity;
using Azure.Monitor.OpenTelemetry.Exporter;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Azure.Functions.Worker.Builder;
using Microsoft.Azure.Functions.Worker.OpenTelemetry;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using OpenTelemetry;
using OpenTelemetry.Logs;
using OpenTelemetry.Trace;
using PipelineFunctions.Core.Artifacts;
using PipelineFunctions.Core.Graph;
using PipelineFunctions.Core.Orchestration;
using PipelineFunctions.Graph;
using PipelineFunctions.Hosting;
using PipelineFunctions.Infrastructure.Secrets;

// The Azure host: Durable Functions (isolated worker) running Core's orchestration and activities on Azure services.
// Everything here is wiring; the logic is in Core and Infrastructure (see docs/azure.md).
var builder = FunctionsApplication.CreateBuilder(args);
builder.ConfigureFunctionsWebApplication();

// Orchestration inputs, activity results, custom status and HTTP bodies use the pipeline's own JSON conventions
// (camelCase, snake_case enums), unindented; the Durable extension takes the worker's serializer for its payloads.
var pipelineJson = new JsonSerializerOptions(PipelineJson.Options) { WriteIndented = false };
builder.Services.Configure<WorkerOptions>(options => options.Serializer = new JsonObjectSerializer(pipelineJson));

var settings = AzureHostSettings.From(name => builder.Configuration[name]);
// In Azure, AZURE_CLIENT_ID names the app's user-assigned identity, which DefaultAzureCredential then uses;
// locally it is the developer's Azure CLI / Visual Studio sign-in.
var credential = new DefaultAzureCredential();
builder.Services.AddSingleton(settings);
builder.Services.AddSingleton(TimeProvider.System);
builder.Services.AddSingleton(_ => PipelineSecretResolver.Create(settings.KeyVaultUri, credential, name => builder.Configuration[name]));
builder.Services.AddSingleton<Neo4jAgendaGraphFactory>();
builder.Services.AddSingleton<IAgendaGraphFactory>(sp => sp.GetRequiredService<Neo4jAgendaGraphFactory>());
builder.Services.AddSingleton<IPipelineServices>(sp => new AzurePipelineServices(settings, sp.GetRequiredService<IAgendaGraphFactory>(),
    sp.GetRequiredService<PipelineSecretResolver>(), sp.GetRequiredService<ILoggerFactory>(), sp.GetRequiredService<TimeProvider>(), AppContext.BaseDirectory));
builder.Services.AddSingleton(sp => new PipelineActivities(sp.GetRequiredService<IPipelineServices>()));

// Telemetry: OpenTelemetry with the Functions worker's defaults, exported to Application Insights when it is configured.
// Log scopes carry runId, instanceId, event and step; PipelineTagsProcessor puts them on every span of an invocation.
builder.Services.Configure<OpenTelemetryLoggerOptions>(logging =>
{
    logging.IncludeScopes = true;
    logging.IncludeFormattedMessage = true;
});
var otel = builder.Services.AddOpenTelemetry()
    .UseFunctionsWorkerDefaults()
    .WithTracing(tracing => tracing.AddProcessor(new PipelineTagsProcessor()));
if (!string.IsNullOrEmpty(builder.Configuration["APPLICATIONINSIGHTS_CONNECTION_STRING"]))
    otel.UseAzureMonitorExporter(options => options.Credential = credential);

builder.Build().Run();

/// <summary>Copies the pipeline's run id, instance id, event and step from baggage onto every span as it starts.</summary>
internal sealed class PipelineTagsProcessor : BaseProcessor<Activity>
{
    public override void OnStart(Activity data) => PipelineTelemetry.CopyTags(data);
}
