using PipelineFunctions.Local.Commands;
using PipelineFunctions.Local.Tests.Support;

namespace PipelineFunctions.Local.Tests.Commands;

/// <summary>`pa run` as a user runs it on bad input: the error names the file, row and field, and the exit code says whose fault it is.</summary>
public sealed class RunCommandTests : IDisposable
{
    private readonly TempFolder _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public async Task Bad_input_fails_the_run_with_exit_code_2_naming_the_file_row_and_field_and_how_to_resume()
    {
        var input = _temp.Combine("input");
        SampleCopies.WithBadSessionDate(input);

        var output = new StringWriter();
        var error = new StringWriter();
        var exitCode = await PaCommandLine.RunAsync(["run", "--event", "vet_lva", "--input", input, "--instance-id", "bad",
            "--store", _temp.Combine("store"),
            "--graph", _temp.Combine("graph"), "--runs", _temp.Combine("runs.sqlite")], output, error);

        Assert.Equal(PaCommandLine.ExitInputError, exitCode);
        Assert.StartsWith("error: run bad failed: data_preparation: " + SampleCopies.BadSessionDateError, error.ToString());
        Assert.Contains("pa resume bad", error.ToString());
        Assert.DoesNotContain("   at ", error.ToString());
    }
}
