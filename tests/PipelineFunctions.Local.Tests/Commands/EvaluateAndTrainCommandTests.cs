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
        var (exit, output, error) = await Pa("evaluate", "--event", "vet_lva", "--input", Repository.Sample("vet_lva"), "--store", Store, "--json",
            "--embedders", "local");
        Assert.True(exit == 0, error);
        using var results = JsonDocument.Parse(output);
        var local = Assert.Single(results.RootElement.EnumerateArray());
        Assert.Equal("local", local.GetProperty("generator").GetString());
        var report = local.GetProperty("report");
        var methods = report.GetProperty("methods");
        Assert.Equal(["learned_ranker", "popularity", "random", "reference_heuristic"], methods.EnumerateObject().Select(m => m.Name).Order());
        foreach (var method in methods.EnumerateObject())
        {
            Assert.InRange(method.Value.GetProperty("ndcgAt10").GetDouble(), 0, 1);
            Assert.InRange(method.Value.GetProperty("recallAt10").GetDouble(), 0, 1);
            Assert.InRange(method.Value.GetProperty("coverage").GetDouble(), 0, 1);
        }
        Assert.True(report.GetProperty("holdoutVisitors").GetInt32() > 0);
        var kinds = report.GetProperty("byVisitorKind");
        Assert.Equal(["cross_show_self", "half_own_history", "registration_only"], kinds.EnumerateObject().Select(k => k.Name).Order());
        Assert.Equal(report.GetProperty("holdoutVisitors").GetInt32(), kinds.EnumerateObject().Sum(k => k.Value.GetProperty("visitors").GetInt32()));
        var cross = local.GetProperty("crossShow");
        Assert.True(cross.GetProperty("queries").GetInt32() > 0);
        Assert.Equal(["learned_ranker", "popularity", "random", "reference_heuristic"],
            cross.GetProperty("methods").EnumerateObject().Select(m => m.Name).Order());
        Assert.Equal(cross.GetProperty("queries").GetInt32(),
            cross.GetProperty("byVisitorKind").EnumerateObject().Sum(k => k.Value.GetProperty("visitors").GetInt32()));
        // Evaluation is not a run: nothing under runs/, no model registered.
        Assert.False(Directory.Exists(Path.Combine(Store, "runs")));
        Assert.False(File.Exists(Path.Combine(Store, "models", "vet_lva", "current.json")));

        var (tableExit, table, _) = await Pa("evaluate", "--event", "vet_lva", "--input", Repository.Sample("vet_lva"), "--store", Store,
            "--embedders", "local");
        Assert.Equal(0, tableExit);
        Assert.Contains("NDCG@10", table);
        Assert.Contains("reference_heuristic", table);
        Assert.Contains("half_own_history", table);
        Assert.Contains("cross-show", table);
        Assert.Contains("main_show_self", table);
    }

    [Fact]
    public async Task Evaluate_compares_every_method_with_local_and_minilm_on_the_same_holdout()
    {
        var (exit, output, error) = await Pa("evaluate", "--event", "vet_lva", "--input", Repository.Sample("vet_lva"), "--store", Store, "--json",
            "--embedders", "local,minilm");
        Assert.True(exit == 0, error);
        using var results = JsonDocument.Parse(output);
        var byGenerator = results.RootElement.EnumerateArray().ToDictionary(r => r.GetProperty("generator").GetString()!);
        Assert.Equal(["local", "minilm"], byGenerator.Keys.Order());
        Assert.Equal("all-MiniLM-L6-v2", byGenerator["minilm"].GetProperty("model").GetString());
        Assert.NotEqual(byGenerator["local"].GetProperty("model").GetString(), byGenerator["minilm"].GetProperty("model").GetString());
        var local = byGenerator["local"].GetProperty("report");
        var minilm = byGenerator["minilm"].GetProperty("report");
        foreach (var shared in new[] { "holdoutVisitors", "trainingVisitors", "candidateSessions" })
            Assert.Equal(local.GetProperty(shared).GetInt32(), minilm.GetProperty(shared).GetInt32());
        // The same holdout: the methods that use no session text score the same with either embedder.
        foreach (var textFree in new[] { "popularity", "random" })
            Assert.Equal(local.GetProperty("methods").GetProperty(textFree).GetRawText(),
                minilm.GetProperty("methods").GetProperty(textFree).GetRawText());
        // The cross-show evaluation ranks the same visitors over the same sessions with either embedder.
        var localCross = byGenerator["local"].GetProperty("crossShow");
        var minilmCross = byGenerator["minilm"].GetProperty("crossShow");
        foreach (var shared in new[] { "queries", "candidateSessions", "knowledgeVisitors" })
            Assert.Equal(localCross.GetProperty(shared).GetInt32(), minilmCross.GetProperty(shared).GetInt32());
        Assert.Equal(localCross.GetProperty("methods").GetProperty("random").GetRawText(),
            minilmCross.GetProperty("methods").GetProperty("random").GetRawText());

        var (unknownExit, unknownOutput, unknownError) = await Pa("evaluate", "--event", "vet_lva", "--input", Repository.Sample("vet_lva"),
            "--store", Store, "--embedders", "local,bert");
        Assert.Equal(2, unknownExit);
        Assert.Equal("", unknownOutput);
        Assert.Contains("--embedders", unknownError);
        Assert.Contains("unknown embedder 'bert'", unknownError);
        Assert.DoesNotContain("   at ", unknownError);
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
