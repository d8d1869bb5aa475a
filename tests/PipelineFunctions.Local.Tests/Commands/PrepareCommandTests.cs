using System.Text.Json;
using PipelineFunctions.Local.Commands;
using PipelineFunctions.Local.Tests.Support;

namespace PipelineFunctions.Local.Tests.Commands;

/// <summary>`pa prepare` as a user runs it: on the committed samples, with bad arguments, and with bad input files.</summary>
public sealed class PrepareCommandTests : IDisposable
{
    private readonly TempFolder _temp = new();

    public void Dispose() => _temp.Dispose();

    private static async Task<(int ExitCode, string Output, string Error)> Pa(params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        var exitCode = await PaCommandLine.RunAsync(args, output, error);
        return (exitCode, output.ToString(), error.ToString());
    }

    private string Store => _temp.Combine("store");

    private IEnumerable<string> Published() =>
        Directory.Exists(Store) ? Directory.EnumerateFiles(Store, "*", SearchOption.AllDirectories) : [];

    [Theory]
    [InlineData("vet_lva")]
    [InlineData("ecomm")]
    public async Task The_readme_command_prepares_the_committed_sample(string eventName)
    {
        var (exitCode, output, error) = await Pa("prepare", "--event", eventName, "--input", Repository.Sample(eventName), "--store", Store,
            "--run-id", "readme");

        Assert.True(exitCode == 0, error);
        Assert.Contains($"data_preparation for {eventName}, run readme", output);
        Assert.Contains("visitors_this_year.csv", output);
        var folder = Path.Combine(Store, "runs", eventName, "readme", "data_preparation");
        Assert.True(File.Exists(Path.Combine(folder, "manifest.json")));
        Assert.True(new FileInfo(Path.Combine(folder, "visitors_this_year.csv")).Length > 1000);
    }

    [Fact]
    public async Task Json_summary_holds_the_manifest_and_metadata()
    {
        var (exitCode, output, error) = await Pa("prepare", "--event", "vet_lva", "--input", Repository.Sample("vet_lva"), "--store", Store,
            "--json");

        Assert.True(exitCode == 0, error);
        using var json = JsonDocument.Parse(output);
        var manifestUri = new Uri(json.RootElement.GetProperty("manifestUri").GetString()!);
        Assert.True(File.Exists(manifestUri.LocalPath));
        Assert.Equal(14, json.RootElement.GetProperty("manifest").GetProperty("outputs").GetArrayLength());
        Assert.True(json.RootElement.GetProperty("metadata").GetProperty("processors").GetProperty("registrations").GetProperty("counts")
            .GetProperty("visitors_this_year").GetInt64() > 50);
    }

    [Fact]
    public async Task A_bad_input_file_gives_one_line_naming_it_exit_code_2_and_no_outputs()
    {
        var input = _temp.Combine("input");
        SampleCopies.WithBadSessionDate(input);

        var (exitCode, output, error) = await Pa("prepare", "--event", "vet_lva", "--input", input, "--store", Store);

        Assert.Equal(2, exitCode);
        Assert.Equal("", output);
        Assert.Single(error.TrimEnd().Split('\n'));
        Assert.StartsWith("error: " + SampleCopies.BadSessionDateError, error);
        Assert.DoesNotContain("   at ", error);
        Assert.Empty(Published());
    }

    [Fact]
    public async Task A_missing_input_folder_names_the_file_it_looked_for()
    {
        var (exitCode, _, error) = await Pa("prepare", "--event", "vet_lva", "--input", _temp.Combine("nowhere"), "--store", Store);

        Assert.Equal(2, exitCode);
        Assert.Contains("input file not found", error);
        Assert.Empty(Published());
    }

    [Theory]
    [InlineData("no event", new[] { "prepare", "--input", "x" }, "give exactly one of --event NAME or --config PATH")]
    [InlineData("both", new[] { "prepare", "--event", "vet_lva", "--config", "config/events/vet_lva.yaml", "--input", "x" },
        "give exactly one of --event NAME or --config PATH")]
    [InlineData("unknown event", new[] { "prepare", "--event", "no_such_show", "--input", "x" }, "event config file not found")]
    [InlineData("event name with a path", new[] { "prepare", "--event", "../secrets", "--input", "x" }, "is not an event name")]
    public async Task Bad_arguments_are_refused_with_a_clear_message(string _, string[] args, string message)
    {
        var (exitCode, _, error) = await Pa([.. args, "--store", Store]);

        Assert.Equal(2, exitCode);
        Assert.Contains(message, error);
        Assert.Empty(Published());
    }

    [Fact]
    public async Task A_missing_required_option_is_a_usage_error()
    {
        var (exitCode, _, error) = await Pa("prepare", "--event", "vet_lva");

        Assert.Equal(2, exitCode);
        Assert.StartsWith("error: Option '--input' is required.", error);
        Assert.Contains("see 'pa prepare --help'", error);
    }
}
