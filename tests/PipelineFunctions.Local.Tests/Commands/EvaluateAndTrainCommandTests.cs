using System.Text.Json;
using PipelineFunctions.Local.Commands;
using PipelineFunctions.Local.Tests.Support;

namespace PipelineFunctions.Local.Tests.Commands;

/// <summary>`pa evaluate` and `pa train` as a user runs them on the sample.</summary>
public sealed class EvaluateAndTrainCommandTests : IDisposable
{
    private readonly TempFolder _temp = new();

    public void Dispose() => _temp.Dispose();

    private string Store => _temp.Combine("store");

    private static async Task<(int ExitCode, string Output, string Error)> Pa(params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        var exitCode = await PaCommandLine.RunAsync(args, output, error);
        return (exitCode, output.ToString(), error.ToString());
    }

    [Fact]
    public async Task Evaluate_reports_every_method_and_leaves_no_run_behind()
    {
        var (exit, output, error) = await Pa("evaluate", "--event", "vet_lva", "--input", Repository.Sample("vet_lva"), "--store", Store, "--json");
        Assert.True(exit == 0, error);
        using var report = JsonDocument.Parse(output);
        var methods = report.RootElement.GetProperty("methods");
        Assert.Equal(["learned_ranker", "popularity", "random", "reference_heuristic"], methods.EnumerateObject().Select(m => m.Name).Order());
        foreach (var method in methods.EnumerateObject())
        {
            Assert.InRange(method.Value.GetProperty("ndcgAt10").GetDouble(), 0, 1);
            Assert.InRange(method.Value.GetProperty("recallAt10").GetDouble(), 0, 1);
            Assert.InRange(method.Value.GetProperty("coverage").GetDouble(), 0, 1);
        }
        Assert.True(report.RootElement.GetProperty("holdoutVisitors").GetInt32() > 0);
        // Evaluation is not a run: nothing under runs/, no model registered.
        Assert.False(Directory.Exists(Path.Combine(Store, "runs")));
        Assert.False(File.Exists(Path.Combine(Store, "models", "vet_lva", "current.json")));

        var (tableExit, table, _) = await Pa("evaluate", "--event", "vet_lva", "--input", Repository.Sample("vet_lva"), "--store", Store);
        Assert.Equal(0, tableExit);
        Assert.Contains("NDCG@10", table);
        Assert.Contains("reference_heuristic", table);
    }

    [Fact]
    public async Task Train_registers_a_model_and_says_whether_it_was_promoted()
    {
        var (exit, output, error) = await Pa("train", "--event", "vet_lva", "--input", Repository.Sample("vet_lva"), "--store", Store, "--json");
        Assert.True(exit == 0, error);
        using var outcome = JsonDocument.Parse(output);
        var decision = outcome.RootElement.GetProperty("decision");
        var version = decision.GetProperty("candidate").GetString()!;
        Assert.True(File.Exists(Path.Combine(Store, "models", "vet_lva", version, "model.zip")));
        Assert.True(File.Exists(Path.Combine(Store, "models", "vet_lva", version, "decision.json")));
        Assert.Equal(decision.GetProperty("promoted").GetBoolean(), File.Exists(Path.Combine(Store, "models", "vet_lva", "current.json")));

        var (again, text, _) = await Pa("train", "--event", "vet_lva", "--input", Repository.Sample("vet_lva"), "--store", Store);
        Assert.Equal(0, again);
        Assert.Matches("promoted|not promoted", text);

        var (listExit, list, _) = await Pa("models", "--event", "vet_lva", "--store", Store, "--json");
        Assert.Equal(0, listExit);
        using var models = JsonDocument.Parse(list);
        Assert.Equal(2, models.RootElement.GetArrayLength());
        Assert.Equal(version, models.RootElement[0].GetProperty("info").GetProperty("version").GetString());

        // Promote the first version by hand (a rollback), then an unknown one is refused.
        var (promoteExit, _, promoteError) = await Pa("models", "promote", "--event", "vet_lva", "--store", Store, "--version", version);
        Assert.True(promoteExit == 0, promoteError);
        Assert.Contains(version, File.ReadAllText(Path.Combine(Store, "models", "vet_lva", "current.json")));
        var (unknownExit, _, unknownError) = await Pa("models", "promote", "--event", "vet_lva", "--store", Store,
            "--version", "20990101T000000Z-nothing");
        Assert.Equal(2, unknownExit);
        Assert.Contains("has no model version '20990101T000000Z-nothing'", unknownError);
    }

    [Fact]
    public async Task A_missing_input_folder_is_one_clear_error()
    {
        var missing = _temp.Combine("no-such-inputs");
        var (exit, output, error) = await Pa("evaluate", "--event", "vet_lva", "--input", missing, "--store", Store);
        Assert.Equal(2, exit);
        Assert.Equal("", output);
        var line = Assert.Single(error.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith("error: ", line);
        Assert.DoesNotContain("   at ", error);
    }
}
