using System.CommandLine;
using System.Net;
using PipelineFunctions.Core;
using PipelineFunctions.Core.Orchestration;
using PipelineFunctions.LocalEngine.Runs;
using PipelineFunctions.LocalServer;

namespace PipelineFunctions.Local.Commands;

/// <summary>
/// `pa serve`: the local HTTP host. Durable's management API and a run submission route over the embedded runner,
/// a dashboard at /, and the weekly schedule from config/host.yaml. Prints the address it listens on to standard
/// output; everything else (the generated API key, the schedule, logs) goes to standard error.
/// </summary>
internal static class ServeCommand
{
    public const string Name = "serve";

    public static Command Create(TextWriter output, TextWriter error, PaServices services)
    {
        var host = new HostOptions(services);
        var address = new Option<string>("--host")
        {
            Description = "IP address to listen on (localhost = 127.0.0.1; 0.0.0.0 or :: for every interface, "
                + "which exposes the unauthenticated read routes)",
            DefaultValueFactory = _ => "127.0.0.1",
        };
        var port = new Option<int>("--port")
        {
            Description = "Port to listen on; 0 picks a free one", DefaultValueFactory = _ => ServeSettings.DefaultPort,
        };
        var apiKey = new Option<string?>("--api-key")
        {
            Description = $"Key that POST and DELETE requests must send in the {ApiKey.HeaderName} header. "
                + $"Default: ${PaOptions.ApiKeyVariable}, else a random key printed to standard error",
        };
        var inputsRoot = new Option<string?>("--inputs-root")
        {
            Description = "Folder that run requests' 'input' names are relative to. "
                + $"Default: ${PaOptions.InputsRootVariable}, else ./{PaOptions.DefaultInputsRoot}",
        };
        var hostConfig = new Option<string?>("--host-config")
        {
            Description = $"Weekly schedule file. Default: {HostConfig.FileName} under the config root",
        };
        var noSchedule = new Option<bool>("--no-schedule") { Description = "Do not start the weekly runs" };
        var maxRuns = new Option<int>("--max-runs") { Description = "Runs executing at once; more wait as Pending", DefaultValueFactory = _ => 2 };
        var shutdownGrace = new Option<int?>("--shutdown-grace")
        {
            Description = "Seconds SIGTERM or Ctrl-C lets the activities in flight finish before cancelling them (runs stay resumable). "
                + $"Default: ${PaOptions.ShutdownGraceVariable}, else {ServeSettings.DefaultShutdownGraceSeconds}",
        };

        var command = new Command(Name,
            "Serve the HTTP API (Durable-shaped status routes), the dashboard and the weekly schedule on the embedded runner.");
        foreach (var option in new Option[] { address, port, apiKey, inputsRoot, hostConfig, noSchedule, maxRuns, shutdownGrace })
            command.Add(option);
        host.AddTo(command);
        command.SetAction((parseResult, cancellationToken) => PaCommandLine.Guard(error, async () =>
        {
            var ip = ParseAddress(parseResult.GetValue(address)!);
            var portNumber = parseResult.GetValue(port);
            if (portNumber is < 0 or > 65535) throw new PipelineInputException("--port", $"{portNumber} is not a port (0 to 65535)");
            if (parseResult.GetValue(maxRuns) < 1) throw new PipelineInputException("--max-runs", "must be at least 1");
            var grace = services.ShutdownGrace(parseResult.GetValue(shutdownGrace));
            var (keyText, keySource) = services.ApiKey(parseResult.GetValue(apiKey));
            if (keyText is not null && string.IsNullOrWhiteSpace(keyText))
                throw new PipelineInputException(keySource, "is empty: give a key, or neither to get a random one");
            var key = keyText is null ? ApiKey.Generate() : new ApiKey(keyText);
            var inputs = new InputsRoot(services.InputsRoot(parseResult.GetValue(inputsRoot)));
            var configRoot = PaCommandLine.FindConfigRoot();
            var schedule = parseResult.GetValue(noSchedule)
                ? null
                : LoadSchedule(parseResult.GetValue(hostConfig), configRoot, new EventCatalog(configRoot), error);

            await using var local = host.Create(parseResult, inputs.Open, parseResult.GetValue(maxRuns));
            var settings = new ServeSettings(ip, portNumber, key, inputs, schedule, parseResult.GetValue<bool>("--verbose"), grace);
            PipelineServer server;
            try
            {
                server = await PipelineServer.StartAsync(settings, local, configRoot, cancellationToken);
            }
            catch (IOException e)
            {
                // Kestrel's bind failure (address in use, not an address of this machine) is the user's to fix.
                throw new PipelineInputException("--host/--port", e.Message, inner: e);
            }
            await using (server)
            {
                if (keyText is null) await error.WriteLineAsync($"API key (send it as {ApiKey.HeaderName}): {key.Value}");
                if (!IPAddress.IsLoopback(ip))
                    await error.WriteLineAsync(
                        $"warning: listening on {ip}: the read routes (status, list, dashboard) answer anyone who can reach it");
                if (!Directory.Exists(inputs.Path)) await error.WriteLineAsync($"warning: the inputs root {inputs.Path} does not exist yet");
                await error.WriteLineAsync(schedule is null ? "weekly schedule: off" : ScheduleLine(schedule));
                await output.WriteLineAsync($"listening on {server.Address.ToString().TrimEnd('/')}");
                await output.FlushAsync(CancellationToken.None);
                await ReportRecoveryAsync(server, local.Runner.Lease, error);
                // Ctrl+C, SIGTERM or the caller's token: a normal stop.
                await server.WaitForStopRequestAsync(cancellationToken);
                // Before the web server stops, so clients can watch the runs wind down (and get 503s for new ones).
                await ServeShutdown.RunAsync(local.Runner, grace, error);
            }
            await error.WriteLineAsync("stopped");
            return PaCommandLine.ExitOk;
        }));
        return command;
    }

    /// <summary>Says which unfinished runs this server resumes now and which it may take over later (each is also logged as
    /// it is taken over).</summary>
    private static async Task ReportRecoveryAsync(PipelineServer server, TimeSpan lease, TextWriter error)
    {
        var found = await server.RecoveredAtStart;
        if (found.Resuming.Count > 0)
            await error.WriteLineAsync($"resuming {Runs(found.Resuming.Count)} interrupted: {Ids(found.Resuming)}");
        if (found.LeasedElsewhere.Count > 0)
            await error.WriteLineAsync($"{Runs(found.LeasedElsewhere.Count)} leased by another process ({Ids(found.LeasedElsewhere)}): "
                + $"taken over here if it stops renewing the lease ({lease.TotalSeconds:0} s)");

        static string Runs(int count) => count == 1 ? "1 run" : $"{count} runs";
        static string Ids(IReadOnlyList<RunInstance> runs) =>
            string.Join(", ", runs.Take(10).Select(i => i.InstanceId)) + (runs.Count > 10 ? ", ..." : "");
    }

    private static string ScheduleLine(HostConfig schedule)
    {
        var next = new WeeklySchedule(schedule.Schedule).NextAfter(TimeProvider.System.GetUtcNow());
        var events = schedule.Events.Count == 0 ? "no events" : string.Join(", ", schedule.Events.Select(e => e.Event));
        return $"weekly schedule '{schedule.Schedule}' (UTC): next at {next:yyyy-MM-dd HH:mm:ss}Z for {events}";
    }

    private static IPAddress ParseAddress(string text) =>
        text.Equals("localhost", StringComparison.OrdinalIgnoreCase) ? IPAddress.Loopback
            : IPAddress.TryParse(text.Trim('[', ']'), out var ip) ? ip
            : throw new PipelineInputException("--host",
                $"'{text}' is not an IP address (use 127.0.0.1, ::1, 0.0.0.0 or an address of this machine)");

    private static HostConfig LoadSchedule(string? option, string configRoot, EventCatalog events, TextWriter error)
    {
        var path = option ?? Path.Combine(configRoot, HostConfig.FileName);
        if (option is null && !File.Exists(path))
        {
            error.WriteLine($"warning: no {HostConfig.FileName}: the weekly schedule has no events");
            return HostConfig.Default;
        }
        if (!File.Exists(path)) throw new PipelineInputException(path, "host config file not found", field: "--host-config");
        var config = HostConfigLoader.Load(path);
        for (var i = 0; i < config.Events.Count; i++)
            if (!events.Contains(config.Events[i].Event))
                throw new PipelineInputException(path,
                    $"'{config.Events[i].Event}' is not a configured event (known: {string.Join(", ", events.Names())})",
                    field: $"events[{i}].event");
        return config;
    }
}
