using System.Diagnostics;

namespace PipelineFunctions.Local.Commands;

/// <summary>Runs `pa` again as a child process, so what it measures is its own (benchmarks' peak memory).</summary>
internal static class PaChildProcess
{
    /// <summary>The child's exit code and what it printed.</summary>
    public sealed record Result(int ExitCode, string Output, string Error);

    public static async Task<Result> RunAsync(IEnumerable<string> arguments, CancellationToken cancellationToken)
    {
        // The pa executable itself when that is what runs; otherwise (dotnet pa.dll, a test host) the pa assembly
        // through dotnet.
        var runningPa = Path.GetFileNameWithoutExtension(Environment.ProcessPath) == "pa";
        var start = new ProcessStartInfo(runningPa ? Environment.ProcessPath! : Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet")
        {
            RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false,
        };
        if (!runningPa) start.ArgumentList.Add(typeof(PaChildProcess).Assembly.Location);
        foreach (var argument in arguments) start.ArgumentList.Add(argument);

        using var child = Process.Start(start) ?? throw new InvalidOperationException("could not start the measuring process");
        var output = child.StandardOutput.ReadToEndAsync(cancellationToken);
        var error = child.StandardError.ReadToEndAsync(cancellationToken);
        await child.WaitForExitAsync(cancellationToken);
        return new Result(child.ExitCode, await output, await error);
    }
}
