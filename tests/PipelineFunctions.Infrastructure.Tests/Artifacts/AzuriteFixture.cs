using System.ComponentModel;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;
using Azure.Storage.Blobs;

namespace PipelineFunctions.Infrastructure.Tests.Artifacts;

/// <summary>
/// A real Azurite blob endpoint for the tests. Uses <c>AZURITE_BLOB_CONNECTION_STRING</c> when set (as .ci/run
/// does); otherwise installs the repository's pinned Azurite with <c>npm ci</c> if needed and starts a private
/// in-memory instance on a free loopback port, so a plain <c>dotnet test</c> needs nothing running beforehand and
/// several test assemblies can run at once, each with its own emulator.
/// </summary>
public sealed class AzuriteFixture : IAsyncLifetime
{
    public const string ConnectionStringVariable = "AZURITE_BLOB_CONNECTION_STRING";
    public const string DevAccountName = "devstoreaccount1";

    /// <summary>Azurite's well-known development key: public, and only valid against the emulator.</summary>
    public const string DevAccountKey = "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";

    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(60);
    private static readonly TimeSpan InstallTimeout = TimeSpan.FromMinutes(10);
    private const int StartAttempts = 3;

    private readonly StringBuilder _azuriteOutput = new();
    private Process? _azurite;

    public string ConnectionString { get; private set; } = "";

    /// <summary>Whether this fixture started (and so owns) the emulator.</summary>
    public bool StartedOwnEmulator => _azurite is not null;

    public static string ConnectionStringFor(int port) =>
        $"DefaultEndpointsProtocol=http;AccountName={DevAccountName};AccountKey={DevAccountKey};" +
        $"BlobEndpoint=http://127.0.0.1:{port}/{DevAccountName};";

    public async Task InitializeAsync()
    {
        var configured = Environment.GetEnvironmentVariable(ConnectionStringVariable);
        if (!string.IsNullOrWhiteSpace(configured))
        {
            ConnectionString = configured;
            return;
        }

        var repoRoot = FindRepoRoot();
        await EnsureAzuriteInstalledAsync(repoRoot);

        // A port found free can be taken by another process before Azurite binds it; then try another.
        for (var attempt = 1; ; attempt++)
        {
            var port = FindFreeLoopbackPort();
            try
            {
                await StartAzuriteAsync(repoRoot, port);
                ConnectionString = ConnectionStringFor(port);
                return;
            }
            catch (AzuriteStartException) when (attempt < StartAttempts && AzuriteOutput().Contains("EADDRINUSE"))
            {
                await StopAzuriteAsync();
            }
        }
    }

    public async Task DisposeAsync() => await StopAzuriteAsync();

    public BlobServiceClient CreateServiceClient() => new(ConnectionString);

    /// <summary>Creates an empty container with a unique name, so tests never see each other's blobs.</summary>
    public async Task<BlobContainerClient> CreateContainerAsync(string hint)
    {
        var container = CreateServiceClient().GetBlobContainerClient(NewContainerName(hint));
        await container.CreateAsync();
        return container;
    }

    /// <summary>A valid, unique container name that starts with a readable hint.</summary>
    public static string NewContainerName(string hint)
    {
        // At most 30 + 1 + 32 = 63 characters, the service's limit.
        var readable = new string(hint.ToLowerInvariant().Where(c => c is >= 'a' and <= 'z' or >= '0' and <= '9').Take(30).ToArray());
        return $"{(readable.Length == 0 ? "test" : readable)}-{Guid.NewGuid():N}";
    }

    private async Task StartAzuriteAsync(string repoRoot, int port)
    {
        lock (_azuriteOutput) _azuriteOutput.Clear();
        var start = new ProcessStartInfo(AzuriteBlobExecutable(repoRoot))
        {
            WorkingDirectory = repoRoot,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in new[]
                 {
                     "--blobHost", "127.0.0.1", "--blobPort", port.ToString(CultureInfo.InvariantCulture),
                     "--silent", "--inMemoryPersistence", "--skipApiVersionCheck", "--disableTelemetry",
                 })
            start.ArgumentList.Add(argument);

        var process = new Process { StartInfo = start };
        process.OutputDataReceived += (_, e) => AppendOutput(e.Data);
        process.ErrorDataReceived += (_, e) => AppendOutput(e.Data);
        try
        {
            process.Start();
        }
        catch (Win32Exception e)
        {
            process.Dispose();
            throw new AzuriteStartException($"could not start {start.FileName}: {e.Message}. Is Node.js on PATH? " +
                                            $"Alternatively set {ConnectionStringVariable} to a running Azurite.");
        }
        _azurite = process;
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();

        var deadline = Stopwatch.StartNew();
        while (!await AcceptsConnectionsAsync(port))
        {
            if (process.HasExited)
            {
                await process.WaitForExitAsync(); // drains the output readers
                throw new AzuriteStartException(
                    $"Azurite exited with code {process.ExitCode} before listening on 127.0.0.1:{port}. Its output:\n{AzuriteOutput()}");
            }
            if (deadline.Elapsed > StartTimeout)
                throw new AzuriteStartException(
                    $"Azurite did not listen on 127.0.0.1:{port} within {StartTimeout.TotalSeconds:0} s. Its output:\n{AzuriteOutput()}");
            await Task.Delay(100);
        }
    }

    private async Task StopAzuriteAsync()
    {
        var process = _azurite;
        _azurite = null;
        if (process is null) return;
        try
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
                using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
                await process.WaitForExitAsync(timeout.Token);
            }
        }
        catch (Exception e) when (e is InvalidOperationException or OperationCanceledException)
        {
            // Already gone, or refusing to die within the timeout: nothing more a test run can do.
        }
        finally
        {
            process.Dispose();
        }
    }

    private static async Task<bool> AcceptsConnectionsAsync(int port)
    {
        using var client = new TcpClient();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(1));
        try
        {
            await client.ConnectAsync(IPAddress.Loopback, port, timeout.Token);
            return true;
        }
        catch (Exception e) when (e is SocketException or OperationCanceledException)
        {
            return false;
        }
    }

    private static int FindFreeLoopbackPort()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        try
        {
            return ((IPEndPoint)listener.LocalEndpoint).Port;
        }
        finally
        {
            listener.Stop();
        }
    }

    /// <summary>The folder holding package.json, found by walking up from the test binaries.</summary>
    private static string FindRepoRoot()
    {
        for (var folder = new DirectoryInfo(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
            if (File.Exists(Path.Combine(folder.FullName, "package.json")))
                return folder.FullName;
        throw new InvalidOperationException(
            $"no package.json above {AppContext.BaseDirectory}: cannot find the repository's pinned Azurite. " +
            $"Set {ConnectionStringVariable} to a running Azurite instead.");
    }

    private static string AzuriteBlobExecutable(string repoRoot) =>
        Path.Combine(repoRoot, "node_modules", ".bin", OperatingSystem.IsWindows() ? "azurite-blob.cmd" : "azurite-blob");

    private static async Task EnsureAzuriteInstalledAsync(string repoRoot)
    {
        if (File.Exists(AzuriteBlobExecutable(repoRoot))) return;

        // Test assemblies run in parallel; two "npm ci" in one folder would wreck each other's node_modules.
        var lockName = "pipelinefunctions-npm-ci-" +
                       Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(repoRoot)))[..16] + ".lock";
        await using var installLock = await AcquireFileLockAsync(Path.Combine(Path.GetTempPath(), lockName), InstallTimeout);
        if (File.Exists(AzuriteBlobExecutable(repoRoot))) return; // installed by whoever held the lock

        await RunToCompletionAsync(OperatingSystem.IsWindows() ? "npm.cmd" : "npm", ["ci", "--no-audit", "--no-fund"], repoRoot, InstallTimeout);
        if (!File.Exists(AzuriteBlobExecutable(repoRoot)))
            throw new InvalidOperationException(
                $"npm ci in {repoRoot} succeeded but {AzuriteBlobExecutable(repoRoot)} is missing; is azurite in package.json?");
    }

    private static async Task<FileStream> AcquireFileLockAsync(string path, TimeSpan timeout)
    {
        var waited = Stopwatch.StartNew();
        while (true)
        {
            try
            {
                // FileShare.None takes an exclusive lock that other processes' FileShare.None opens respect.
                return new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
            }
            catch (IOException) when (waited.Elapsed < timeout)
            {
                await Task.Delay(500);
            }
        }
    }

    private static async Task RunToCompletionAsync(string program, string[] arguments, string workingDirectory, TimeSpan timeout)
    {
        var start = new ProcessStartInfo(program)
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments) start.ArgumentList.Add(argument);

        var output = new StringBuilder();
        using var process = new Process { StartInfo = start };
        process.OutputDataReceived += (_, e) => { lock (output) output.AppendLine(e.Data); };
        process.ErrorDataReceived += (_, e) => { lock (output) output.AppendLine(e.Data); };
        try
        {
            process.Start();
        }
        catch (Win32Exception e)
        {
            throw new InvalidOperationException(
                $"could not run {program}: {e.Message}. Install Node.js (npm), or set {ConnectionStringVariable} to a running Azurite.");
        }
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();

        using var cancel = new CancellationTokenSource(timeout);
        try
        {
            await process.WaitForExitAsync(cancel.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new InvalidOperationException($"{program} {string.Join(' ', arguments)} did not finish within {timeout}:\n{output}");
        }
        if (process.ExitCode != 0)
            throw new InvalidOperationException($"{program} {string.Join(' ', arguments)} failed with exit code {process.ExitCode}:\n{output}");
    }

    private void AppendOutput(string? line)
    {
        if (line is null) return;
        lock (_azuriteOutput) _azuriteOutput.AppendLine(line);
    }

    private string AzuriteOutput()
    {
        lock (_azuriteOutput) return _azuriteOutput.ToString();
    }

    private sealed class AzuriteStartException(string message) : Exception(message);
}
