using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.HostFiltering;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Console;
using PipelineFunctions.LocalEngine;
using PipelineFunctions.LocalEngine.Management;
using PipelineFunctions.LocalEngine.Orchestration;

namespace PipelineFunctions.LocalServer;

/// <summary>
/// The local HTTP host: the Durable-shaped management API, the run submission route, the dashboard and (optionally)
/// the weekly schedule, all over one <see cref="LocalHost"/>'s embedded runner. The caller owns the LocalHost and
/// disposes it after this server.
/// </summary>
public sealed class PipelineServer : IAsyncDisposable
{
    /// <summary>Worker threads the pool creates without delay (see <see cref="StartAsync"/>).</summary>
    private const int MinimumWorkerThreads = 64;

    private readonly WebApplication _app;

    private PipelineServer(WebApplication app, Uri address) => (_app, Address) = (app, address);

    /// <summary>The address it listens on, with the actual port when 0 was asked for.</summary>
    public Uri Address { get; }

    public IServiceProvider Services => _app.Services;

    /// <summary>The unfinished runs this server found when it started (see <see cref="InstanceRecoveryService"/>).</summary>
    public Task<RecoveryAtStart> RecoveredAtStart => _app.Services.GetRequiredService<InstanceRecoveryService>().FirstScan;

    public static async Task<PipelineServer> StartAsync(
        ServeSettings settings, LocalHost host, string configRoot, CancellationToken cancellationToken = default)
    {
        // Runs execute on the thread pool beside the requests, and their activities block threads (file and SQLite I/O, CPU work
        // on every core). With the pool's default minimum (one thread per core) a burst of requests then waits for the pool
        // to add threads, about two a second: p99 latencies of half a second under 200 pollers. Threads are cheap; waits are not.
        ThreadPool.GetMinThreads(out var workers, out var completionPorts);
        ThreadPool.SetMinThreads(Math.Max(workers, MinimumWorkerThreads), completionPorts);
        // The slim builder: Kestrel over HTTP, no HTTPS, no IIS; addresses come from the settings only.
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { ContentRootPath = AppContext.BaseDirectory });
        builder.Logging.ClearProviders();
        builder.Logging.SetMinimumLevel(settings.Verbose ? LogLevel.Information : LogLevel.Warning).AddFilter("Microsoft", LogLevel.Warning);
        // A bind failure is reported by `pa serve` as one line; the host's own report of it carries a stack trace.
        if (!settings.Verbose) builder.Logging.AddFilter("Microsoft.Extensions.Hosting", LogLevel.Critical);
        // Standard output carries only the address line; every log line goes to standard error.
        builder.Logging.AddSimpleConsole(o => { o.SingleLine = true; o.TimestampFormat = "HH:mm:ss "; });
        builder.Services.Configure<ConsoleLoggerOptions>(o => o.LogToStandardErrorThreshold = LogLevel.Trace);
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            kestrel.Limits.MaxRequestBodySize = ServeSettings.MaxRequestBodyBytes;
            kestrel.Listen(settings.Address, settings.Port);
        });

        if (IPAddress.IsLoopback(settings.Address))
        {
            // Bound to loopback: answer only requests addressed to loopback names, so a web page whose host name was
            // re-pointed at 127.0.0.1 (DNS rebinding) cannot read the API through the visitor's browser.
            builder.Services.Configure<HostFilteringOptions>(o => o.AllowedHosts = ["localhost", "127.0.0.1", "[::1]"]);
        }

        var events = new EventCatalog(configRoot);
        builder.Services.AddSingleton(host);
        builder.Services.AddSingleton(host.Runner);
        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddSingleton(settings.Key);
        builder.Services.AddSingleton(new ApiKeyFilter(settings.Key));
        builder.Services.AddSingleton(new SubmissionValidator(events, settings.Inputs, host.Services.LoadConfig));
        builder.Services.AddSingleton<WeeklyRunSubmitter>();
        builder.Services.AddSingleton<InstanceRecoveryService>();
        builder.Services.AddHostedService(services => services.GetRequiredService<InstanceRecoveryService>());
        if (settings.Schedule is { } schedule)
        {
            builder.Services.AddSingleton(schedule);
            builder.Services.AddHostedService<WeeklyScheduleService>();
        }
        builder.Services.AddProblemDetails();
        AddGracefulShutdown(builder, settings);

        var app = builder.Build();
        // Unhandled failures become a 500 problem without a stack trace; bare 404/405s get a problem body too.
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        var keyFilter = app.Services.GetRequiredService<ApiKeyFilter>();
        PipelineApi.Map(app, keyFilter);
        RunChartsApi.Map(app);
        ModelHistoryApi.Map(app, events);
        RunAnalysisApi.Map(app);
        DurableManagementApi.Map(app, keyFilter);
        DashboardEndpoints.Map(app);

        await app.StartAsync(cancellationToken);
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new PipelineServer(app, new Uri(address));
    }

    /// <summary>
    /// The caller stops the server (after draining the runs, see <see cref="EmbeddedOrchestrationRunner.BeginShutdown"/>),
    /// not the signals: the read routes keep answering meanwhile, and submissions get a 503 from
    /// <see cref="SubmissionsClosedFilter"/>.
    /// </summary>
    private static void AddGracefulShutdown(WebApplicationBuilder builder, ServeSettings settings)
    {
        builder.Services.AddSingleton<IHostLifetime, CallerStoppedLifetime>();
        builder.Services.AddSingleton(settings);
        builder.Services.AddSingleton<SubmissionsClosedFilter>();
    }

    /// <summary>
    /// Completes when a stop is asked for (the token, or the host's own lifetime), without stopping anything: the server
    /// goes on answering until it is disposed, so a graceful shutdown can drain the runs first.
    /// </summary>
    public async Task WaitForStopRequestAsync(CancellationToken cancellationToken)
    {
        var lifetime = _app.Services.GetRequiredService<IHostApplicationLifetime>();
        using var stopping = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, lifetime.ApplicationStopping);
        await Task.Delay(Timeout.InfiniteTimeSpan, stopping.Token).ContinueWith(_ => { }, TaskScheduler.Default);
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync(CancellationToken.None);
        await _app.DisposeAsync();
    }
}
