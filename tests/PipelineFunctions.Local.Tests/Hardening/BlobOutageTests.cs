using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Logging.Abstractions;
using PipelineFunctions.Core.Orchestration;
using PipelineFunctions.Infrastructure.Artifacts;
using PipelineFunctions.Infrastructure.Graph;
using PipelineFunctions.Local.Tests.Support;
using PipelineFunctions.LocalEngine;
using PipelineFunctions.LocalEngine.Runs;

namespace PipelineFunctions.Local.Tests.Hardening;

/// <summary>
/// Blob storage disappears mid-run: a run on an Azurite-backed store loses Azurite as step 2 starts and gets it back
/// 12 s later. The storage client retries, then the step is retried per its policy; the run completes, and its exports
/// equal those of a run that never saw an outage.
/// </summary>
public sealed class BlobOutageTests : IDisposable
{
    private readonly TempFolder _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public async Task A_run_whose_blob_store_vanishes_during_step_2_is_retried_and_ends_with_the_same_exports()
    {
        var port = FreePort();
        await using var azurite = await LocalAzurite.StartAsync(port, _temp.Combine("azurite"));
        var blobStore = ArtifactStoreLocator.Open(
            $"DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey={LocalAzurite.DevelopmentKey};" +
            $"BlobEndpoint=http://127.0.0.1:{port}/devstoreaccount1;Container=outage");

        await using var host = new LocalHost(blobStore, new SqliteAgendaGraphFactory(_temp.Combine("graph")), _temp.Combine("runs.sqlite"),
            Repository.Root, LocalPipelineServices.OpenAnyInput, NullLoggerFactory.Instance, TimeProvider.System);
        Task? restart = null;
        host.Runner.Progress += (_, status) =>
        {
            if (restart is not null || status is not RunProgress { CurrentStep: PipelineSteps.GraphPreparation }) return;
            // Gone as step 2 starts reading step 1's artifacts; back 12 s later: longer than the storage SDK's own retries ride out.
            azurite.Stop();
            restart = Task.Run(async () => { await Task.Delay(TimeSpan.FromSeconds(12)); await azurite.RestartAsync(); });
        };
        var request = new PipelineRunRequest("vet_lva", Repository.Sample("vet_lva"));
        await host.Runner.CreateAsync(request, "outage");
        var instance = await host.Runner.RunAsync("outage");
        Assert.NotNull(restart);
        await restart!;

        Assert.True(instance.RuntimeStatus == RuntimeStatuses.Completed, instance.OutputJson);
        var summary = (await host.SummaryAsync(instance))!;
        // The storage client's retries and the step's retry policy waited the outage out: step 2 ran into it.
        var graphStep = summary.Steps.Single(s => s.Step == PipelineSteps.GraphPreparation);
        var waited = graphStep.FinishedAt - summary.Steps[0].FinishedAt;
        Assert.True(waited > TimeSpan.FromSeconds(10), $"step 2 ended {waited.TotalSeconds:F1} s after step 1: the outage was not seen");

        await using var reference = new LocalHost(ArtifactStoreLocator.Open(_temp.Combine("store")),
            new SqliteAgendaGraphFactory(_temp.Combine("graph-reference")), _temp.Combine("runs-reference.sqlite"), Repository.Root,
            LocalPipelineServices.OpenAnyInput, NullLoggerFactory.Instance, TimeProvider.System);
        await reference.Runner.CreateAsync(request, "calm");
        var calm = (await reference.SummaryAsync(await reference.Runner.RunAsync("calm")))!;
        Assert.Equal(Exports(calm), Exports(summary));
    }

    /// <summary>Export name and SHA-256: the same bytes whatever store they went to.</summary>
    private static Dictionary<string, string> Exports(RunSummary summary) =>
        summary.Steps.Single(s => s.Step == PipelineSteps.Recommendations).Outputs
            .Where(o => o.Name != "metadata.json").ToDictionary(o => o.Name, o => o.Sha256);

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>The repository's pinned Azurite (blob only) persisting to a folder, so a restart keeps the blobs.</summary>
    private sealed class LocalAzurite : IAsyncDisposable
    {
        public const string DevelopmentKey = "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";
        private readonly int _port;
        private readonly string _location;
        private Process? _process;

        private LocalAzurite(int port, string location) => (_port, _location) = (port, location);

        public static async Task<LocalAzurite> StartAsync(int port, string location)
        {
            var azurite = new LocalAzurite(port, location);
            await azurite.RestartAsync();
            return azurite;
        }

        public async Task RestartAsync()
        {
            var executable = Path.Combine(Repository.Root, "node_modules", ".bin", "azurite-blob");
            Assert.True(File.Exists(executable), "Azurite is not installed: run npm ci (the Infrastructure tests and .ci/run do)");
            Directory.CreateDirectory(_location);
            var start = new ProcessStartInfo(executable)
            {
                UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = Repository.Root,
            };
            foreach (var argument in new[]
                     {
                         "--blobHost", "127.0.0.1", "--blobPort", _port.ToString(), "--location", _location, "--silent", "--skipApiVersionCheck",
                         "--disableTelemetry",
                     })
                start.ArgumentList.Add(argument);
            _process = Process.Start(start)!;
            _process.BeginOutputReadLine();
            _process.BeginErrorReadLine();
            for (var waited = Stopwatch.StartNew(); ; await Task.Delay(50))
            {
                try
                {
                    using var client = new TcpClient();
                    await client.ConnectAsync(IPAddress.Loopback, _port);
                    return;
                }
                catch (SocketException) when (waited.Elapsed < TimeSpan.FromSeconds(30) && !_process.HasExited)
                {
                }
            }
        }

        /// <summary>SIGTERM, as a service being stopped gets: Azurite saves its blob index first (a SIGKILL loses the latest writes,
        /// which a real storage account never does).</summary>
        public void Stop()
        {
            if (_process is not { HasExited: false }) return;
            using (var kill = Process.Start("kill", ["-TERM", _process.Id.ToString()])) kill.WaitForExit();
            if (!_process.WaitForExit(TimeSpan.FromSeconds(20))) _process.Kill(entireProcessTree: true);
            _process.WaitForExit();
        }

        public ValueTask DisposeAsync()
        {
            Stop();
            _process?.Dispose();
            return ValueTask.CompletedTask;
        }
    }
}
