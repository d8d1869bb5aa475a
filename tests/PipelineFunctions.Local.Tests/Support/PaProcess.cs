using System.Diagnostics;
using System.Text;
using System.Text.RegularExpressions;
using PipelineFunctions.Local.Commands;

namespace PipelineFunctions.Local.Tests.Support;

/// <summary>
/// The built `pa` as a child process (`dotnet pa.dll ...`), its output collected as it comes, so a test can send it real
/// signals, kill it as a crash would, and watch it exit. Dispose kills it if it is still running, so no process outlives
/// a failed test.
/// </summary>
public sealed partial class PaProcess : IDisposable, IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output = new(), _error = new();

    private PaProcess(Process process) => _process = process;

    public int Id => _process.Id;

    public bool HasExited => _process.HasExited;

    public int ExitCode => _process.ExitCode;

    public string Output { get { lock (_output) return _output.ToString(); } }

    public string Errors { get { lock (_error) return _error.ToString(); } }

    public static PaProcess Start(string workingDirectory, params string[] arguments) => Start(workingDirectory, null, arguments);

    /// <param name="environment">Variables set for the child on top of this process's own.</param>
    public static PaProcess Start(string workingDirectory, IReadOnlyDictionary<string, string>? environment, params string[] arguments)
    {
        var start = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet")
        {
            UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = workingDirectory,
        };
        start.ArgumentList.Add(typeof(PaCommandLine).Assembly.Location);
        foreach (var argument in arguments) start.ArgumentList.Add(argument);
        foreach (var (name, value) in environment ?? new Dictionary<string, string>()) start.Environment[name] = value;
        var child = new PaProcess(Process.Start(start)!);
        child._process.OutputDataReceived += (_, e) => { lock (child._output) child._output.AppendLine(e.Data); };
        child._process.ErrorDataReceived += (_, e) => { lock (child._error) child._error.AppendLine(e.Data); };
        child._process.BeginOutputReadLine();
        child._process.BeginErrorReadLine();
        return child;
    }

    /// <summary>`pa serve`'s address, once <see cref="ListeningAsync"/> has seen it.</summary>
    public Uri BaseUri { get; private set; } = null!;

    /// <summary>Waits for `pa serve`'s "listening on" line and returns the address.</summary>
    public async Task<Uri> ListeningAsync(TimeSpan timeout)
    {
        await WaitForAsync(() => ListeningLine().IsMatch(Output), timeout, "print its address");
        return BaseUri = new Uri(ListeningLine().Match(Output).Groups[1].Value);
    }

    /// <summary>Waits until standard error holds <paramref name="text"/>.</summary>
    public Task WaitForErrorAsync(string text, TimeSpan timeout) =>
        WaitForAsync(() => Errors.Contains(text, StringComparison.Ordinal), timeout, $"print '{text}'");

    /// <summary>Sends a signal as `kill -SIGNAL pid` does (TERM, INT).</summary>
    public async Task SignalAsync(string signal)
    {
        using var kill = Process.Start(new ProcessStartInfo("kill") { ArgumentList = { $"-{signal}", Id.ToString() }, UseShellExecute = false })!;
        await kill.WaitForExitAsync();
        Assert.Equal(0, kill.ExitCode);
    }

    /// <summary>
    /// True when the process ignores SIGINT: a shell starts background jobs so (`dotnet test &amp;`), the children inherit it,
    /// and .NET keeps it; Ctrl-C cannot reach such a process anyway.
    /// </summary>
    public bool IgnoresInterrupt()
    {
        var line = File.ReadLines($"/proc/{Id}/status").FirstOrDefault(l => l.StartsWith("SigIgn:", StringComparison.Ordinal));
        return line is not null && (Convert.ToUInt64(line["SigIgn:".Length..].Trim(), 16) & 0x2) != 0;
    }

    /// <summary>Waits for the exit; false when it did not exit in time.</summary>
    public async Task<bool> ExitsWithinAsync(TimeSpan timeout)
    {
        try
        {
            await _process.WaitForExitAsync().WaitAsync(timeout);
            return true;
        }
        catch (TimeoutException)
        {
            return false;
        }
    }

    public static async Task<int> RunToEndAsync(string workingDirectory, TimeSpan timeout, params string[] arguments)
    {
        using var child = Start(workingDirectory, arguments);
        Assert.True(await child.ExitsWithinAsync(timeout), $"pa {string.Join(' ', arguments)} did not end within {timeout}: {child.Errors}");
        Assert.True(child.ExitCode == 0, $"pa {arguments[0]} exited with {child.ExitCode}: {child.Errors}");
        return child.ExitCode;
    }

    private async Task WaitForAsync(Func<bool> condition, TimeSpan timeout, string what)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (!condition())
        {
            if (_process.HasExited && !condition())
                throw new InvalidOperationException($"pa exited with {_process.ExitCode} before it did {what}: {Errors}");
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"pa did not {what} within {timeout}: {Errors}");
            await Task.Delay(50);
        }
    }

    /// <summary>Kills the process (and any child of it) as a crash or `kill -9` would, and waits until it is gone.</summary>
    public async Task KillAsync()
    {
        if (!_process.HasExited) _process.Kill(entireProcessTree: true);
        await _process.WaitForExitAsync().WaitAsync(TimeSpan.FromMinutes(1));
    }

    public void Dispose()
    {
        if (!_process.HasExited) _process.Kill(entireProcessTree: true);
        _process.WaitForExit();
        _process.Dispose();
    }

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
