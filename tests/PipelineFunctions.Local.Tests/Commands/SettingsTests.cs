using Microsoft.Extensions.Configuration;
using PipelineFunctions.Local.Commands;
using PipelineFunctions.Local.Tests.Support;

namespace PipelineFunctions.Local.Tests.Commands;

/// <summary>
/// pa's settings come from configuration under the environment variables' names, a command-line value wins over them,
/// and a bad one stops any command before it runs with one line naming the variable and the value.
/// </summary>
public sealed class SettingsTests : IDisposable
{
    private readonly TempFolder _temp = new();

    public void Dispose() => _temp.Dispose();

    private static async Task<(int ExitCode, string Output, string Error)> PaAsync(Dictionary<string, string?> settings, params string[] args)
    {
        var (output, error) = (new StringWriter(), new StringWriter());
        var exitCode = await PaCommandLine.RunAsync(args, output, error, new ConfigurationBuilder().AddInMemoryCollection(settings).Build());
        return (exitCode, output.ToString(), error.ToString());
    }

    [Fact]
    public async Task A_lease_that_is_not_a_number_stops_the_command_with_one_line_and_no_stack_trace()
    {
        var runs = _temp.Combine("runs.sqlite");
        var (exitCode, output, error) = await PaAsync(new() { ["PA_RUN_LEASE_SECONDS"] = "soon" }, "runs", "--runs", runs);

        Assert.Equal(PaCommandLine.ExitInputError, exitCode);
        Assert.Equal("error: PA_RUN_LEASE_SECONDS: 'soon' is not a whole number of seconds above 0" + Environment.NewLine, error);
        Assert.Empty(output);
        Assert.False(File.Exists(runs)); // refused before the command did anything
    }

    [Fact]
    public async Task A_half_configured_Azure_OpenAI_endpoint_stops_the_command_naming_the_missing_variable()
    {
        var settings = new Dictionary<string, string?>
        {
            ["AZURE_OPENAI_ENDPOINT"] = "https://res.openai.azure.com/", ["AZURE_OPENAI_API_KEY"] = "k-123",
        };
        var (exitCode, _, error) = await PaAsync(settings,
            "models", "--event", "vet_lva", "--store", _temp.Combine("store"));

        Assert.Equal(PaCommandLine.ExitInputError, exitCode);
        Assert.Equal("error: AZURE_OPENAI_DEPLOYMENT is not set, but AZURE_OPENAI_ENDPOINT is ('https://res.openai.azure.com/'): "
                     + "set both to embed with Azure OpenAI, or neither" + Environment.NewLine, error);
        Assert.DoesNotContain("k-123", error);
    }

    [Fact]
    public async Task Every_bad_setting_gets_its_own_line_and_help_still_works()
    {
        var settings = new Dictionary<string, string?> { ["PA_RUN_LEASE_SECONDS"] = "0", ["AZURE_OPENAI_DEPLOYMENT"] = "embeddings" };
        var (exitCode, _, error) = await PaAsync(settings, "runs", "--runs", _temp.Combine("runs.sqlite"));
        Assert.Equal(PaCommandLine.ExitInputError, exitCode);
        var lines = error.TrimEnd().Split(Environment.NewLine);
        Assert.Equal(2, lines.Length);
        Assert.Contains("error: PA_RUN_LEASE_SECONDS: '0' is not a whole number of seconds above 0", lines);
        const string halfConfigured = "error: AZURE_OPENAI_ENDPOINT is not set, but AZURE_OPENAI_DEPLOYMENT is ('embeddings')";
        Assert.Contains(lines, l => l.StartsWith(halfConfigured, StringComparison.Ordinal));

        var help = await PaAsync(settings, "runs", "--help");
        Assert.Equal(PaCommandLine.ExitOk, help.ExitCode);
        Assert.Contains("--runs", help.Output);
    }

    [Fact]
    public async Task The_run_store_and_store_come_from_the_settings_and_a_command_line_value_wins()
    {
        var settings = new Dictionary<string, string?>
        {
            ["PA_RUNS"] = _temp.Combine("from-settings", "runs.sqlite"), ["PA_STORE"] = _temp.Combine("store"),
        };
        Assert.Equal(PaCommandLine.ExitOk, (await PaAsync(settings, "runs")).ExitCode);
        Assert.True(File.Exists(_temp.Combine("from-settings", "runs.sqlite")));

        Assert.Equal(PaCommandLine.ExitOk, (await PaAsync(settings, "runs", "--runs", _temp.Combine("from-option", "runs.sqlite"))).ExitCode);
        Assert.True(File.Exists(_temp.Combine("from-option", "runs.sqlite")));
    }
}
