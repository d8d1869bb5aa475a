using System.Diagnostics;
using System.Text;

namespace PipelineFunctions.Local.Tests.Serve;

/// <summary>
/// Debian's Chromium, headless, as the dashboard test drives it. Installed on first use when missing (the tests run as
/// root on machines that reach Debian's packages; .ci/run installs it up front as well).
/// </summary>
public static class HeadlessChromium
{
    public const string Executable = "/usr/bin/chromium";

    private static readonly SemaphoreSlim InstallLock = new(1, 1);

    public static async Task EnsureInstalledAsync()
    {
        if (File.Exists(Executable)) return;
        await InstallLock.WaitAsync();
        try
        {
            if (File.Exists(Executable)) return;
            var (code, output) = await RunAsync("apt-get", ["install", "-y", "--no-install-recommends", "chromium"], TimeSpan.FromMinutes(15));
            if (code != 0)
            {
                // A fresh machine has no package lists yet: fetch them once and try again.
                await RunAsync("apt-get", ["update"], TimeSpan.FromMinutes(10));
                (code, output) = await RunAsync("apt-get", ["install", "-y", "--no-install-recommends", "chromium"], TimeSpan.FromMinutes(15));
            }
            if (code != 0 || !File.Exists(Executable))
                throw new InvalidOperationException(
                    $"Chromium is not installed and `apt-get install -y --no-install-recommends chromium` failed (exit {code}); " +
                    $"install it as root and rerun. Last output: {Tail(output)}");
        }
        finally
        {
            InstallLock.Release();
        }
    }

    /// <summary>The page's DOM after its scripts ran for up to five seconds of virtual time, with a fresh profile.</summary>
    public static Task<string> DumpDomAsync(Uri page) => BrowseAsync(page, "--dump-dom");

    /// <summary>
    /// The page's DOM once <paramref name="ready"/> holds, reloaded every second until <paramref name="deadline"/> (a browser
    /// start that fails on a busy machine is retried like a page not yet up to date); the last DOM (or failure) otherwise.
    /// </summary>
    public static async Task<string> DumpDomWhenAsync(Uri page, Func<string, bool> ready, TimeSpan deadline)
    {
        var stop = DateTime.UtcNow + deadline;
        var dom = "";
        do
        {
            try
            {
                dom = await DumpDomAsync(page);
                if (ready(dom)) break;
            }
            catch (InvalidOperationException e) when (DateTime.UtcNow < stop)
            {
                dom = e.Message;
            }
            await Task.Delay(1000);
        }
        while (DateTime.UtcNow < stop);
        return dom;
    }

    /// <summary>A PNG of the page in a window of the given size, after its scripts ran as for <see cref="DumpDomAsync"/>.</summary>
    public static async Task ScreenshotAsync(Uri page, string file, int width, int height)
    {
        File.Delete(file);
        await BrowseAsync(page, $"--screenshot={file}", $"--window-size={width},{height}", "--hide-scrollbars");
        if (!File.Exists(file)) throw new InvalidOperationException($"chromium wrote no screenshot to {file}");
    }

    private static async Task<string> BrowseAsync(Uri page, params string[] action)
    {
        var profile = Directory.CreateTempSubdirectory("pa-chromium-");
        try
        {
            // The background-networking flags keep Chromium from reaching for hosts this machine cannot reach.
            var (code, output) = await RunAsync(Executable,
            [
                "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", $"--user-data-dir={profile.FullName}", "--virtual-time-budget=5000",
                .. action, page.ToString(),
            ], TimeSpan.FromSeconds(60), standardOutputOnly: true);
            return code == 0 ? output : throw new InvalidOperationException($"chromium exited with {code}: {Tail(output)}");
        }
        finally
        {
            try { profile.Delete(recursive: true); } catch (IOException) { } // a leftover profile folder is harmless
        }
    }

    private static async Task<(int Code, string Output)> RunAsync(string file, string[] arguments, TimeSpan timeout, bool standardOutputOnly = false)
    {
        var start = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in arguments) start.ArgumentList.Add(argument);
        start.Environment["DEBIAN_FRONTEND"] = "noninteractive";
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"{file} did not start");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var cancel = new CancellationTokenSource(timeout);
        try
        {
            await process.WaitForExitAsync(cancel.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
            return (-1, $"timed out after {timeout}: {await stderr}");
        }
        var output = new StringBuilder(await stdout);
        if (!standardOutputOnly) output.Append(await stderr);
        else if (process.ExitCode != 0) output.Append(await stderr);
        return (process.ExitCode, output.ToString());
    }

    private static string Tail(string text) => text.Length <= 2000 ? text : text[^2000..];
}
