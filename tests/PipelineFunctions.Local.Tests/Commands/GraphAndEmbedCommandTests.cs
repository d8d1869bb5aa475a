using System.Text.Json;
using PipelineFunctions.Local.Commands;
using PipelineFunctions.Local.Tests.Support;

namespace PipelineFunctions.Local.Tests.Commands;

/// <summary>`pa graph` and `pa embed` as a user runs them after `pa prepare`.</summary>
public sealed class GraphAndEmbedCommandTests : IDisposable
{
    private readonly TempFolder _temp = new();

    public void Dispose() => _temp.Dispose();

    private string Store => _temp.Combine("store");
    private string Graph => _temp.Combine("graph");

    private static async Task<(int ExitCode, string Output, string Error)> Pa(params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        var exitCode = await PaCommandLine.RunAsync(args, output, error);
        return (exitCode, output.ToString(), error.ToString());
    }

    private Task<(int ExitCode, string Output, string Error)> Prepare(string runId) =>
        Pa("prepare", "--event", "vet_lva", "--input", Repository.Sample("vet_lva"), "--store", Store, "--run-id", runId);

    [Fact]
    public async Task Graph_then_embed_continue_the_newest_step_1_run()
    {
        Assert.Equal(0, (await Prepare("older")).ExitCode);
        Assert.Equal(0, (await Prepare("newer")).ExitCode);

        var (graphExit, graphOutput, graphError) = await Pa("graph", "--event", "vet_lva", "--store", Store, "--graph", Graph, "--json");
        Assert.True(graphExit == 0, graphError);
        using (var graph = JsonDocument.Parse(graphOutput))
        {
            Assert.EndsWith("runs/vet_lva/newer/graph_preparation/manifest.json", graph.RootElement.GetProperty("manifestUri").GetString());
            Assert.Equal(120,
                graph.RootElement.GetProperty("metadata").GetProperty("graph").GetProperty("nodes").GetProperty("Visitor_this_year").GetInt64());
        }
        Assert.True(File.Exists(Path.Combine(Graph, "dev.sqlite")));

        var (embedExit, embedOutput, embedError) = await Pa("embed", "--event", "vet_lva", "--store", Store, "--graph", Graph);
        Assert.True(embedExit == 0, embedError);
        Assert.Contains("embeddings for vet_lva, run newer, graph dev", embedOutput);
        Assert.Matches(@"embedded_new\s*│\s*444", embedOutput);

        var (againExit, againOutput, _) = await Pa("embed", "--event", "vet_lva", "--store", Store, "--graph", Graph, "--json");
        Assert.Equal(0, againExit);
        using var again = JsonDocument.Parse(againOutput);
        Assert.Equal(444, again.RootElement.GetProperty("metadata").GetProperty("counts").GetProperty("unchanged_kept").GetInt64());
    }

    [Fact]
    public async Task Graph_of_a_named_run_into_another_environment()
    {
        await Prepare("r1");
        await Prepare("r2");

        var (exitCode, output, error) = await Pa("graph", "--event", "vet_lva", "--store", Store, "--graph", Graph, "--run-id", "r1",
            "--environment", "test", "--incremental");

        Assert.True(exitCode == 0, error);
        Assert.Contains("run r1, graph test (incremental)", output);
        Assert.True(File.Exists(Path.Combine(Graph, "test.sqlite")));
        Assert.False(File.Exists(Path.Combine(Graph, "dev.sqlite")));
    }

    [Theory]
    [InlineData("graph without step 1", new[] { "graph", "--event", "vet_lva" }, "has completed the data_preparation step")]
    [InlineData("graph of an unknown run", new[] { "graph", "--event", "vet_lva", "--run-id", "nope" },
        "no run 'nope' of event 'vet_lva'")]
    [InlineData("unknown environment", new[] { "graph", "--event", "vet_lva", "--environment", "staging" }, "'staging' is not a graph environment")]
    [InlineData("both modes", new[] { "graph", "--event", "vet_lva", "--incremental", "--full" }, "at most one of --incremental and --full")]
    [InlineData("embed without step 1", new[] { "embed", "--event", "vet_lva" }, "has completed the data_preparation step")]
    public async Task Mistakes_get_one_clear_message_and_exit_code_2(string _, string[] args, string message)
    {
        var (exitCode, _, error) = await Pa([.. args, "--store", Store, "--graph", Graph]);

        Assert.Equal(2, exitCode);
        Assert.Contains(message, error);
        Assert.DoesNotContain("   at ", error);
    }

    [Fact]
    public async Task Embed_before_graph_says_to_run_step_2()
    {
        await Prepare("r1");

        var (exitCode, _, error) = await Pa("embed", "--event", "vet_lva", "--store", Store, "--graph", Graph);

        Assert.Equal(2, exitCode);
        Assert.Contains("run step 2 (graph preparation) first", error);
    }

    [Fact]
    public async Task A_graph_file_that_is_not_a_database_is_reported_not_thrown()
    {
        await Prepare("r1");
        Directory.CreateDirectory(Graph);
        await File.WriteAllTextAsync(Path.Combine(Graph, "dev.sqlite"),
            "this is not a SQLite database, it is text that fills the header and more........");

        var (exitCode, _, error) = await Pa("graph", "--event", "vet_lva", "--store", Store, "--graph", Graph);

        Assert.Equal(2, exitCode);
        Assert.StartsWith($"error: {Path.Combine(Graph, "dev.sqlite")}: cannot be used as the dev graph database", error);
        Assert.DoesNotContain("   at ", error);
    }
}
