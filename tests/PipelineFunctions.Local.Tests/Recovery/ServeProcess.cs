using System.Diagnostics;
using System.Text;
using System.Text.RegularExpressions;
using PipelineFunctions.Local.Commands;
using PipelineFunctions.Local.Tests.Support;

namespace PipelineFunctions.Local.Tests.Recovery;

/// <summary>
/// The built `pa serve` as a child process over a <see cref="ServeWorkspace"/>, so a test can kill it as a crash does
/// (SIGKILL: no shutdown code runs). A short lease makes a second server take over within seconds. Dispose kills it if
/// it is still alive, so no orphan outlives a failed test.
/// </summary>
public sealed partial class ServeProcess : IAsyncDisposable
{
    public const string Key = "recovery-tests-key";

    /// <summary>Seconds of the child's lease (PA_RUN_LEASE_SECONDS): another server takes over this long after a kill.</summary>
    public const int LeaseSeconds = 2;

    private readonly Process _process;
    private readonly StringBuilder _errors = new();
    private readonly TaskCompletionSource<Uri> _listening = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private ServeProcess(Process process) => _process = process;

    public Uri BaseUri { get; private set; } = null!;

    public int ProcessId => _process.Id;

    /// <summary>What it wrote to standard error so far.</summary>
    public string Errors { get { lock (_errors) return _errors.ToString(); } }

    public static async Task<ServeProcess> StartAsync(ServeWorkspace workspace)
    {
        var start = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet")
        {
            UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = Repository.Root,
        };
        start.ArgumentList.Add(typeof(PaCommandLine).Assembly.Location);
        foreach (var argument in new[]
                 {
                     "serve", "--port", "0", "--api-key", Key, "--no-schedule", "--inputs-root", workspace.InputsRoot,
                     "--store", workspace.StorePath, "--graph", workspace.GraphPath, "--runs", workspace.RunStorePath,
                 })
            start.ArgumentList.Add(argument);
        start.Environment["PA_RUN_LEASE_SECONDS"] = LeaseSeconds.ToString();
        // One activity at a time: each step and each fan-out lasts long enough for a test to stop the server inside it.
        start.Environment["PA_PARALLEL_ACTIVITIES"] = "1";

        var server = new ServeProcess(Process.Start(start)!);
        server._process.OutputDataReceived += (_, line) =>
        {
            if (line.Data is not null && ListeningLine().Match(line.Data) is { Success: true } match)
                server._listening.TrySetResult(new Uri(match.Groups[1].Value));
        };
        server._process.ErrorDataReceived += (_, line) =>
        {
            if (line.Data is null) return;
            lock (server._errors) server._errors.AppendLine(line.Data);
        };
        server._process.BeginOutputReadLine();
        server._process.BeginErrorReadLine();
        try
        {
            var exited = server._process.WaitForExitAsync();
            var first = await Task.WhenAny(server._listening.Task, exited).WaitAsync(TimeSpan.FromMinutes(1));
            if (first == exited) throw new InvalidOperationException($"pa serve exited with {server._process.ExitCode}: {server.Errors}");
            server.BaseUri = await server._listening.Task;
            return server;
        }
        catch
        {
            await server.DisposeAsync();
            throw;
        }
    }

    /// <summary>Kills the process (and any child of it) as a crash or `kill -9` would, and waits until it is gone.</summary>
    public async Task KillAsync()
    {
        if (!_process.HasExited) _process.Kill(entireProcessTree: true);
        await _process.WaitForExitAsync().WaitAsync(TimeSpan.FromMinutes(1));
    }

    public bool HasExited => _process.HasExited;

    public async ValueTask DisposeAsync()
    {
        try
        {
            await KillAsync();
        }
        finally
        {
            _process.Dispose();
        }
    }

    [GeneratedRegex(@"listening on (http://\S+)")]
    private static partial Regex ListeningLine();
}
