using System.Text.Json;
using PipelineFunctions.Local.Commands;
using PipelineFunctions.Local.Tests.Support;

namespace PipelineFunctions.Local.Tests.Commands;

/// <summary>The benchmark command works end to end on a small show (the 50k figures are taken by running it, not here).</summary>
public sealed class BenchCommandTests
{
    [Fact]
    public async Task Bench_prepare_generates_a_show_and_measures_step_1_in_a_child_process()
    {
        using var temp = new TempFolder();
        var data = temp.Combine("show");
        var output = new StringWriter();
        var error = new StringWriter();

        var exitCode = await PaCommandLine.RunAsync(["bench", "prepare", "--event", "vet_lva", "--visitors", "300", "--runs", "2", "--data", data, "--json"], output, error);

        Assert.True(exitCode == 0, error.ToString());
        Assert.True(File.Exists(Path.Combine(data, ".generated")));
        using var json = JsonDocument.Parse(output.ToString());
        var root = json.RootElement;
        Assert.Equal(2, root.GetProperty("runs").GetArrayLength());
        Assert.InRange(root.GetProperty("visitorsThisYear").GetInt64(), 250, 300);
        Assert.True(root.GetProperty("demographicRows").GetInt64() > 300 * 5);
        Assert.True(root.GetProperty("scansRead").GetInt64() > 300);
        // The child's own peak: a .NET process that ran the step, well above an idle runtime and below the target.
        Assert.InRange(root.GetProperty("peakWorkingSetBytes").GetInt64(), 20L << 20, BenchCommand.TargetPeakBytes);
    }

    [Fact]
    public async Task Bench_prepare_refuses_a_run_count_out_of_range()
    {
        var error = new StringWriter();
        var exitCode = await PaCommandLine.RunAsync(["bench", "prepare", "--runs", "0"], new StringWriter(), error);

        Assert.Equal(2, exitCode);
        Assert.Contains("--runs", error.ToString());
    }
}
