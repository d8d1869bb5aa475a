using Azure.Core;
using Azure.Monitor.OpenTelemetry.Exporter;
using Microsoft.Azure.Functions.Worker.Builder;
using Microsoft.Azure.Functions.Worker.OpenTelemetry;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using OpenTelemetry;
using OpenTelemetry.Logs;
using OpenTelemetry.Trace;
using PipelineFunctions.Core.Telemetry;
using PipelineFunctions.Hosting;

// The Azure host: Durable Functions (isolated worker) running Core's orchestration and activities on Azure services.
// Everything here is wiring; the logic is in Core and Infrastructure (see docs/azure.md).
var builder = FunctionsApplication.CreateBuilder(args);
builder.ConfigureFunctionsWebApplication();
builder.Services.AddPipelineFunctions(builder.Configuration);

// Telemetry: OpenTelemetry with the Functions worker's defaults, exported to Application Insights when it is configured.
// Log scopes carry runId, instanceId, event and step; PipelineTagsProcessor puts them on every span of an invocation.
// Core's source and meter (PipelineTelemetryNames, docs/azure.md) are the runs' spans, metrics and the workbook's data;
// the exporter sends traces, metrics and logs alike.
builder.Services.Configure<OpenTelemetryLoggerOptions>(logging =>
{
    logging.IncludeScopes = true;
    logging.IncludeFormattedMessage = true;
});
var otel = builder.Services.AddOpenTelemetry()
    .UseFunctionsWorkerDefaults()
    .WithTracing(tracing => tracing.AddSource(PipelineTelemetryNames.ActivitySourceName).AddProcessor(new PipelineTagsProcessor()))
    .WithMetrics(metrics => metrics.AddMeter(PipelineTelemetryNames.MeterName));
if (!string.IsNullOrEmpty(builder.Configuration["APPLICATIONINSIGHTS_CONNECTION_STRING"]))
{
    // Entra sign-in to Application Insights with the app's identity (the resource disables local auth).
    otel.UseAzureMonitorExporter();
    builder.Services.AddOptions<AzureMonitorExporterOptions>().Configure<TokenCredential>((options, credential) => options.Credential = credential);
}

builder.Build().Run();
