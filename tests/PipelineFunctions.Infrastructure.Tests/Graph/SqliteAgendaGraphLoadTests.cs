using System.Diagnostics;
using PipelineFunctions.Core.Graph;
using Xunit.Abstractions;
using static PipelineFunctions.Infrastructure.Tests.Graph.GraphData;

namespace PipelineFunctions.Infrastructure.Tests.Graph;

/// <summary>Several instances on one file, and show-sized bulk writes.</summary>
public sealed class SqliteAgendaGraphLoadTests(GraphFolderFixture folder, ITestOutputHelper output) : IClassFixture<GraphFolderFixture>
{
    [Fact]
    public async Task Two_instances_writing_the_same_file_concurrently_both_succeed()
    {
        var factory = folder.NewFactory();
        await using var visitorsGraph = await factory.OpenAsync(VetLva);
        await using var sessionsGraph = await factory.OpenAsync(VetLva);
        await using var otherShowGraph = await factory.OpenAsync(VetBva);

        // Many short transactions from each instance interleave; every one must wait its turn rather than fail.
        var visitors = Task.Run(async () =>
        {
            for (var batch = 0; batch < 20; batch++)
                await visitorsGraph.UpsertVisitorsAsync(VisitorKind.ThisYear,
                    Enumerable.Range(batch * 1000, 1000).Select(i => Visitor($"V{i:D6}", ("job_role", "Vet"))).ToList(), GraphWriteMode.Full);
        });
        var sessions = Task.Run(async () =>
        {
            await sessionsGraph.UpsertStreamsAsync([new("Surgery", "Operating")], GraphWriteMode.Full);
            for (var batch = 0; batch < 20; batch++)
            {
                var ids = Enumerable.Range(batch * 100, 100).Select(i => $"P{i:D5}").ToList();
                await sessionsGraph.UpsertSessionsAsync(SessionYear.Past, ids.Select(id => Session(id, ["Surgery"])).ToList(),
                    GraphWriteMode.Full);
                await sessionsGraph.StoreEmbeddingsAsync(
                    ids.Select(id => new SessionEmbedding(SessionYear.Past, id, "h", "m", [1f, 2f, 3f])).ToList());
            }
        });
        var otherShow = Task.Run(async () =>
        {
            for (var batch = 0; batch < 20; batch++)
                await otherShowGraph.UpsertVisitorsAsync(VisitorKind.PastMain,
                    Enumerable.Range(batch * 500, 500).Select(i => Visitor($"B{i:D6}")).ToList(), GraphWriteMode.Incremental);
        });
        await Task.WhenAll(visitors, sessions, otherShow);

        var counts = await visitorsGraph.CountAsync();
        Assert.Equal(20_000, counts.Nodes["Visitor_this_year"]);
        Assert.Equal(2_000, counts.Nodes["Sessions_past_year"]);
        Assert.Equal(2_000, counts.Relationships["HAS_STREAM"]);
        Assert.Equal(2_000, (await sessionsGraph.ReadEmbeddingStampsAsync()).Count);
        Assert.Equal(10_000, (await otherShowGraph.CountAsync()).Nodes["Visitor_last_year_bva"]);
    }

    [Fact]
    public async Task Instances_opened_at_once_on_a_new_file_all_create_the_schema_and_write()
    {
        var factory = folder.NewFactory();

        // Each opens (switching the new file to WAL and creating the schema) and writes at the same moment.
        var stats = await Task.WhenAll(Enumerable.Range(0, 4).Select(worker => Task.Run(async () =>
        {
            await using var graph = await factory.OpenAsync(VetLva);
            return await graph.UpsertVisitorsAsync(VisitorKind.ThisYear,
                Enumerable.Range(0, 200).Select(i => Visitor($"W{worker}-{i:D3}")).ToList(), GraphWriteMode.Full);
        })));

        Assert.All(stats, s => Assert.Equal(new GraphWriteStats(200, 0, 0), s));
        await using var reader = await factory.OpenAsync(VetLva);
        Assert.Equal(800, (await reader.ReadVisitorsAsync(VisitorKind.ThisYear)).Count);
    }

    [Fact]
    public async Task One_instance_refuses_a_second_call_while_one_runs()
    {
        var factory = folder.NewFactory();
        await using var graph = await factory.OpenAsync(VetLva);
        var visitors = new PausingList(Enumerable.Range(0, 100).Select(i => Visitor($"V{i:D3}")).ToList(), pauseAt: 10);

        var first = Task.Run(() => graph.UpsertVisitorsAsync(VisitorKind.ThisYear, visitors, GraphWriteMode.Full));
        await visitors.Paused.Task.WaitAsync(TimeSpan.FromSeconds(30));
        await Assert.ThrowsAsync<InvalidOperationException>(() => graph.CountAsync());
        visitors.Resume.SetResult();

        Assert.Equal(new GraphWriteStats(100, 0, 0), await first);
        Assert.Equal(100, (await graph.CountAsync()).Nodes["Visitor_this_year"]);
    }

    /// <summary>A list whose enumeration stops at one item until released, to hold a bulk write mid-way.</summary>
    private sealed class PausingList(IReadOnlyList<VisitorNode> items, int pauseAt) : IReadOnlyList<VisitorNode>
    {
        public TaskCompletionSource Paused { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
        public TaskCompletionSource Resume { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public VisitorNode this[int index] => items[index];
        public int Count => items.Count;

        public IEnumerator<VisitorNode> GetEnumerator()
        {
            for (var i = 0; i < items.Count; i++)
            {
                if (i == pauseAt)
                {
                    Paused.TrySetResult();
                    Resume.Task.Wait(TimeSpan.FromSeconds(30));
                }
                yield return items[i];
            }
        }

        System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => GetEnumerator();
    }

    [Fact]
    public async Task Bulk_upsert_of_100000_visitors_with_20_properties()
    {
        var factory = folder.NewFactory();
        await using var graph = await factory.OpenAsync(VetLva);
        string[] columns = ["Email", "Forename", "Surname", "JobTitle", "Company", "Country", "BadgeType", "ShowRef", "Source", "RegistrationDate",
            "Tel", "Mobile", "job_role", "what_type_does_your_practice_specialise_in", "organisation_type", "assist_year_before",
            "Days_since_registration", "BadgeId_last_year_lva", "BadgeId_last_year_bva"];
        var visitors = Enumerable.Range(0, 100_000).Select(i =>
        {
            var properties = new OrderedDictionary<string, string>(StringComparer.Ordinal) { ["BadgeId"] = $"LVA26-{i:D6}" };
            foreach (var column in columns) properties[column] = $"{column} value {i % 997}";
            return new VisitorNode($"LVA26-{i:D6}", properties);
        }).ToList();

        var watch = Stopwatch.StartNew();
        var created = await graph.UpsertVisitorsAsync(VisitorKind.ThisYear, visitors, GraphWriteMode.Full);
        var createSeconds = watch.Elapsed.TotalSeconds;
        watch.Restart();
        var again = await graph.UpsertVisitorsAsync(VisitorKind.ThisYear, visitors, GraphWriteMode.Full);
        var againSeconds = watch.Elapsed.TotalSeconds;
        watch.Restart();
        var read = await graph.ReadVisitorsAsync(VisitorKind.ThisYear);
        var readSeconds = watch.Elapsed.TotalSeconds;

        output.WriteLine($"100,000 visitors x 20 properties: created in {createSeconds:F2} s, full re-run (all skipped) in {againSeconds:F2} s, " +
            $"read back in {readSeconds:F2} s");
        Assert.Equal(new GraphWriteStats(100_000, 0, 0), created);
        Assert.Equal(new GraphWriteStats(0, 0, 100_000), again);
        Assert.Equal(100_000, read.Count);
        Assert.Equal(20, read[12_345].Properties.Count);
        Assert.Equal(visitors[12_345].Properties.ToArray(), read[12_345].Properties.ToArray());
        Assert.True(createSeconds < 60, $"creating 100,000 visitors took {createSeconds:F1} s");
    }
}
