using PipelineFunctions.Local.Commands;
using PipelineFunctions.Local.Tests.Support;

namespace PipelineFunctions.Local.Tests.Serve;

/// <summary>`pa serve` refuses bad options and a bad host config before listening: one line, exit code 2.</summary>
public sealed class ServeCommandTests
{
    [Theory]
    [InlineData("schedule: \"0 4 * * 0\"\n", "field 'schedule'")]
    [InlineData("events:\n  - event: no_such_event\n", "'no_such_event' is not a configured event")]
    [InlineData("events:\n  - event: vet_lva\n    input: ../elsewhere\n", "field 'events[0].input'")]
    public async Task A_bad_host_config_stops_serve_before_it_listens(string yaml, string expected)
    {
        using var temp = new TempFolder();
        File.WriteAllText(temp.Combine("host.yaml"), yaml);

        var (code, output, error) = await ServeAsync("--host-config", temp.Combine("host.yaml"), "--runs", temp.Combine("runs.sqlite"));

        Assert.Equal(PaCommandLine.ExitInputError, code);
        Assert.Contains(expected, error);
        Assert.DoesNotContain("listening", output);
    }

    [Theory]
    [InlineData("--host", "example.org", "--host")]
    [InlineData("--port", "70000", "--port")]
    [InlineData("--api-key", " ", "--api-key")]
    [InlineData("--max-runs", "0", "--max-runs")]
    public async Task A_bad_option_is_one_line_naming_it(string option, string value, string expected)
    {
        using var temp = new TempFolder();
        var (code, _, error) = await ServeAsync(option, value, "--no-schedule", "--runs", temp.Combine("runs.sqlite"));
        Assert.Equal(PaCommandLine.ExitInputError, code);
        Assert.StartsWith($"error: {expected}", error);
    }

    private static async Task<(int Code, string Output, string Error)> ServeAsync(params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        string[] port = args.Contains("--port") ? [] : ["--port", "0"];
        var code = await PaCommandLine.RunAsync(["serve", .. port, .. args], output, error);
        return (code, output.ToString(), error.ToString());
    }
}
