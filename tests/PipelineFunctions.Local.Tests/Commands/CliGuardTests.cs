using PipelineFunctions.Core;
using PipelineFunctions.Local.Commands;

namespace PipelineFunctions.Local.Tests.Commands;

/// <summary>Whatever goes wrong inside a command, the user sees one line and an exit code, never a bare stack trace.</summary>
public sealed class CliGuardTests
{
    [Fact]
    public async Task A_user_error_is_one_line_with_exit_code_2()
    {
        var error = new StringWriter();
        var exitCode = await PaCommandLine.Guard(error,
            () => throw new PipelineInputException("teatres.csv", "bad capacity", row: 3, field: "capacity"));

        Assert.Equal(PaCommandLine.ExitInputError, exitCode);
        Assert.Equal("error: teatres.csv, row 3, field 'capacity': bad capacity" + Environment.NewLine, error.ToString());
    }

    [Fact]
    public async Task An_unexpected_failure_is_one_line_with_exit_code_1_and_a_hint_for_the_stack()
    {
        var error = new StringWriter();
        var exitCode = await PaCommandLine.Guard(error, () => throw new InvalidOperationException("boom"));

        Assert.Equal(PaCommandLine.ExitInternalError, exitCode);
        var lines = error.ToString().TrimEnd().Split(Environment.NewLine);
        Assert.Equal(
            ["error: unexpected failure (InvalidOperationException): boom", $"(set {PaCommandLine.DebugVariable}=1 to print the stack trace)"],
            lines);
    }
}
