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
        Directory.CreateDirectory(input);
        foreach (var file in Directory.EnumerateFiles(Repository.Sample("vet_lva")))
            File.Copy(file, Path.Combine(input, Path.GetFileName(file)));
        var sessions = Path.Combine(input, "LVS25_session_export.csv");
        var lines = File.ReadAllLines(sessions);
        lines[5] = lines[5].Replace(",2025-11-2", ",2025/11/2", StringComparison.Ordinal);
        File.WriteAllLines(sessions, lines);

        var output = new StringWriter();
        var error = new StringWriter();
        var exitCode = await PaCommandLine.RunAsync(["run", "--event", "vet_lva", "--input", input, "--instance-id", "bad", "--store", _temp.Combine("store"),
            "--graph", _temp.Combine("graph"), "--runs", _temp.Combine("runs.sqlite")], output, error);

        Assert.Equal(PaCommandLine.ExitInputError, exitCode);
        Assert.StartsWith("error: run bad failed: data_preparation: LVS25_session_export.csv, row 6, field 'date': '2025/11/2", error.ToString());
        Assert.Contains("pa resume bad", error.ToString());
        Assert.DoesNotContain("   at ", error.ToString());
    }
}
