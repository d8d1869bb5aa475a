using PipelineFunctions.Core.Events;
using PipelineFunctions.Local.Commands;

namespace PipelineFunctions.Local.Tests.Commands;

public sealed class GenerateCommandTests : IDisposable
{
    private readonly string _root = Path.Combine(Path.GetTempPath(), "pa-generate-command-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(_root)) Directory.Delete(_root, recursive: true);
    }

    private static async Task<(int ExitCode, string Output, string Error)> Run(params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        var exitCode = await PaCommandLine.RunAsync(args, output, error);
        return (exitCode, output.ToString(), error.ToString());
    }

    [Fact]
    public async Task Generate_WritesTheEventsFiles_AndSummarisesThem()
    {
        var folder = Path.Combine(_root, "vet_lva");
        var (exitCode, output, error) = await Run("generate", "--event", "vet_lva", "--out", folder, "--visitors", "40");

        Assert.True(exitCode == PaCommandLine.ExitOk, error);
        var config = EventConfigLoader.LoadFile(EventConfigLoader.ResolveEventPath("vet_lva", PaCommandLine.FindConfigRoot()));
        Assert.True(File.Exists(Path.Combine(folder, config.Inputs.MainRegistration)));
        Assert.True(File.Exists(Path.Combine(folder, config.Inputs.Practices!)));
        Assert.Equal(15, Directory.GetFiles(folder).Length);
        Assert.Contains("vet_lva", output);
        Assert.Contains("profile vet", output);
        Assert.Contains(config.Inputs.ScansPastMain, output);
        Assert.Contains("rows", output);
    }

    [Fact]
    public async Task Generate_WithAConfigFileAndProfileOverride_UsesThatProfile()
    {
        var folder = Path.Combine(_root, "override");
        var configPath = Path.Combine(PaCommandLine.FindConfigRoot(), "config", "events", "ecomm.yaml");
        var (exitCode, output, error) = await Run("generate", "--config", configPath, "--out", folder, "--visitors", "30", "--seed", "5",
            "--profile", "vet");

        Assert.True(exitCode == PaCommandLine.ExitOk, error);
        Assert.Contains("profile vet", output);
        Assert.Equal(14, Directory.GetFiles(folder).Length); // ecomm names no practices file
    }

    [Theory]
    [InlineData("--visitors", "5", "--visitors")]
    [InlineData("--visitors", "1000001", "between 10 and")]
    [InlineData("--profile", "cats", "'cats' is not a profile")]
    public async Task Generate_RejectsBadArguments_WithExitCode2(string option, string value, string message)
    {
        var (exitCode, _, error) = await Run("generate", "--event", "vet_lva", "--out", Path.Combine(_root, "bad"), option, value);

        Assert.Equal(PaCommandLine.ExitInputError, exitCode);
        Assert.Contains(message, error);
        Assert.StartsWith("error: ", error);
        Assert.False(Directory.Exists(Path.Combine(_root, "bad")));
    }

    [Fact]
    public async Task Generate_WithoutOut_IsRejected()
    {
        var (exitCode, _, error) = await Run("generate", "--event", "vet_lva");

        Assert.Equal(PaCommandLine.ExitInputError, exitCode);
        Assert.Contains("--out", error);
        Assert.Contains("required", error);
    }

    [Fact]
    public async Task Generate_ForAnUnknownEvent_IsRejected()
    {
        var (exitCode, _, error) = await Run("generate", "--event", "no_such_show", "--out", Path.Combine(_root, "x"));

        Assert.Equal(PaCommandLine.ExitInputError, exitCode);
        Assert.Contains("no_such_show", error);
        Assert.Contains("not found", error);
    }

    [Fact]
    public async Task Generate_WithNeitherEventNorConfig_IsRejected()
    {
        var (exitCode, _, error) = await Run("generate", "--out", Path.Combine(_root, "x"));

        Assert.Equal(PaCommandLine.ExitInputError, exitCode);
        Assert.Contains("--event", error);
    }
}
