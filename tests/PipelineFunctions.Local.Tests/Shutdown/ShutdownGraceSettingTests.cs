using Microsoft.Extensions.Configuration;
using PipelineFunctions.Local.Commands;
using PipelineFunctions.Local.Tests.Support;

namespace PipelineFunctions.Local.Tests.Shutdown;

/// <summary>The grace period's setting and option: a bad value stops `pa serve` before it listens, with one line naming it.</summary>
public sealed class ShutdownGraceSettingTests : IDisposable
{
    private readonly TempFolder _temp = new();

    public void Dispose() => _temp.Dispose();

    private async Task<(int ExitCode, string Output, string Error)> ServeAsync(Dictionary<string, string?> settings, params string[] extra)
    {
        var (output, error) = (new StringWriter(), new StringWriter());
        string[] args = ["serve", "--port", "0", "--api-key", "k", "--no-schedule", "--runs", _temp.Combine("runs.sqlite"), .. extra];
        var exitCode = await PaCommandLine.RunAsync(args, output, error, new ConfigurationBuilder().AddInMemoryCollection(settings).Build());
        return (exitCode, output.ToString(), error.ToString());
    }

    [Theory]
    [InlineData("soon")]
    [InlineData("-5")]
    [InlineData("3601")]
    public async Task A_bad_grace_setting_stops_pa_serve_with_one_line_naming_it(string value)
    {
        var (exitCode, output, error) = await ServeAsync(new() { [PaOptions.ShutdownGraceVariable] = value });
        Assert.Equal(PaCommandLine.ExitInputError, exitCode);
        Assert.Equal($"error: PA_SHUTDOWN_GRACE_SECONDS: '{value}' is not a whole number of seconds from 0 to 3600" + Environment.NewLine, error);
        Assert.Empty(output);
    }

    [Fact]
    public async Task A_bad_grace_option_stops_pa_serve_before_it_listens()
    {
        var (exitCode, output, error) = await ServeAsync([], "--shutdown-grace", "-1");
        Assert.Equal(PaCommandLine.ExitInputError, exitCode);
        Assert.Contains("--shutdown-grace", error, StringComparison.Ordinal);
        Assert.Contains("-1 is not a number of seconds from 0 to 3600", error, StringComparison.Ordinal);
        Assert.DoesNotContain("listening", output, StringComparison.Ordinal);
    }
}
