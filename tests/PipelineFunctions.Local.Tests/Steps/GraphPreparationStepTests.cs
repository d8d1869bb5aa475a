using PipelineFunctions.Core;
using PipelineFunctions.Core.Graph;
using PipelineFunctions.Core.Steps.DataPreparation;

namespace PipelineFunctions.Local.Tests.Steps;

/// <summary>Step 2 on the committed vet_lva sample, checked against step 1's CSVs read independently.</summary>
public sealed class GraphPreparationStepTests : IDisposable
{
    private readonly PipelineFixture _pipeline = new();

    public void Dispose() => _pipeline.Dispose();

    [Fact]
    public async Task Every_visitor_session_and_stream_of_step_1_becomes_a_node_with_its_columns()
    {
        var prepared = await _pipeline.PrepareAsync();
        var result = await _pipeline.GraphAsync(prepared.ManifestUri);
        var visitorsCsv = await _pipeline.ReadCsvAsync(prepared.Manifest, DataPreparationOutputNames.VisitorsThisYear);

        await using var graph = await _pipeline.Graphs.OpenAsync(_pipeline.Identity());
        var visitors = await graph.ReadVisitorsAsync(VisitorKind.ThisYear);
        Assert.Equal(visitorsCsv.Select(v => v["BadgeId"]).Order(StringComparer.Ordinal), visitors.Select(v => v.BadgeId));
        var first = visitorsCsv[0];
        Assert.Equal(first, visitors.Single(v => v.BadgeId == first["BadgeId"]).Properties);

        var nodes = result.Metadata.Graph.Nodes;
        Assert.Equal((await _pipeline.ReadCsvAsync(prepared.Manifest, DataPreparationOutputNames.VisitorsPastMain)).Count,
            nodes["Visitor_last_year_lva"]);
        Assert.Equal((await _pipeline.ReadCsvAsync(prepared.Manifest, DataPreparationOutputNames.VisitorsPastSecondary)).Count,
            nodes["Visitor_last_year_bva"]);
        var sessionsThisYear = await _pipeline.ReadCsvAsync(prepared.Manifest, DataPreparationOutputNames.SessionsThisYear);
        Assert.Equal(sessionsThisYear.Count, nodes[GraphLabels.SessionsThisYear]);
        var pastIds = (await _pipeline.ReadCsvAsync(prepared.Manifest, DataPreparationOutputNames.SessionsPastMain))
            .Concat(await _pipeline.ReadCsvAsync(prepared.Manifest, DataPreparationOutputNames.SessionsPastSecondary))
            .Select(s => s["session_id"]).Distinct().Count();
        Assert.Equal(pastIds, nodes[GraphLabels.SessionsPastYear]);

        var streams = await graph.ReadStreamsAsync();
        var catalogue = prepared.Manifest.Output(DataPreparationOutputNames.Streams).Rows;
        Assert.Equal(catalogue, streams.Count);
        var session = (await graph.ReadSessionsAsync(SessionYear.ThisYear)).Single(s => s.SessionId == sessionsThisYear[0]["session_id"]);
        Assert.Equal(sessionsThisYear[0]["stream"].Split(';'), session.Streams);
        Assert.Equal(sessionsThisYear.Sum(s => (long)s["stream"].Split(';', StringSplitOptions.RemoveEmptyEntries).Length)
                     + (await graph.ReadSessionsAsync(SessionYear.Past)).Sum(s => (long)s.Streams.Count),
            result.Metadata.Graph.Relationships[GraphLabels.HasStream]);
    }

    [Fact]
    public async Task Visitors_are_linked_to_their_past_selves_their_scans_and_their_streams()
    {
        var prepared = await _pipeline.PrepareAsync();
        await _pipeline.GraphAsync(prepared.ManifestUri);
        var visitorsCsv = await _pipeline.ReadCsvAsync(prepared.Manifest, DataPreparationOutputNames.VisitorsThisYear);
        var jobMatrix = await _pipeline.ReadCsvAsync(prepared.Manifest, DataPreparationOutputNames.JobRoleStreams);
        var scansMain = await _pipeline.ReadCsvAsync(prepared.Manifest, DataPreparationOutputNames.ScansPastMain);

        await using var graph = await _pipeline.Graphs.OpenAsync(_pipeline.Identity());
        var same = await graph.ReadSameVisitorsAsync();
        var expectedSame = visitorsCsv.Where(v => v["BadgeId_last_year_lva"] != "")
            .Select(v => (v["BadgeId"], VisitorKind.PastMain, v["BadgeId_last_year_lva"], "lva"))
            .Concat(visitorsCsv.Where(v => v["BadgeId_last_year_bva"] != "")
                .Select(v => (v["BadgeId"], VisitorKind.PastSecondary, v["BadgeId_last_year_bva"], "bva")))
            .Order().ToList();
        Assert.NotEmpty(expectedSame);
        Assert.Equal(expectedSame, same.Select(s => (s.BadgeId, s.PastKind, s.PastBadgeId, s.Type)).Order().ToList());

        var attended = await graph.ReadAttendedSessionsAsync(VisitorKind.PastMain);
        Assert.Equal(scansMain.Select(s => (s["BadgeId"], s["session_id"])).Order(), attended.Select(a => (a.BadgeId, a.SessionId)).Order());

        // Job role -> streams exactly as the YES matrix says, for every visitor with a mapped role.
        var jobLinks = (await graph.ReadVisitorStreamsAsync(VisitorKind.ThisYear, VisitorStreamRelation.JobToStream))
            .GroupBy(l => l.BadgeId).ToDictionary(g => g.Key, g => g.Select(l => l.Stream.ToLowerInvariant()).Order().ToList());
        var checkedVisitors = 0;
        foreach (var visitor in visitorsCsv.Where(v => v["job_role"] != ""))
        {
            var expected = jobMatrix.Where(m => string.Equals(m["job_role"], visitor["job_role"], StringComparison.OrdinalIgnoreCase))
                .Select(m => m["stream"].ToLowerInvariant()).Distinct().Order().ToList();
            Assert.Equal(expected, jobLinks.GetValueOrDefault(visitor["BadgeId"]) ?? []);
            checkedVisitors++;
        }
        Assert.True(checkedVisitors > 50);
    }

    [Fact]
    public async Task Past_partner_show_specialisations_go_through_the_configured_map()
    {
        var prepared = await _pipeline.PrepareAsync();
        await _pipeline.GraphAsync(prepared.ManifestUri);
        var bvaVisitors = await _pipeline.ReadCsvAsync(prepared.Manifest, DataPreparationOutputNames.VisitorsPastSecondary);
        var companion = bvaVisitors.Where(v => v["what_areas_do_you_specialise_in"].Split(';').Contains("Companion Animal"))
            .Select(v => v["BadgeId"]).ToList();
        Assert.NotEmpty(companion);

        await using var graph = await _pipeline.Graphs.OpenAsync(_pipeline.Identity());
        var links = await graph.ReadVisitorStreamsAsync(VisitorKind.PastSecondary, VisitorStreamRelation.SpecialisationToStream);
        // BVA's "Companion Animal" is mapped to "Small Animal", whose matrix row leads to the Small Animal stream.
        Assert.All(companion,
            badge => Assert.Contains(links, l => l.BadgeId == badge && l.Stream.Equals("Small Animal", StringComparison.OrdinalIgnoreCase)));
    }

    [Fact]
    public async Task Incremental_rerun_adds_nothing_and_full_rerun_replaces_only_this_years_sessions()
    {
        var prepared = await _pipeline.PrepareAsync();
        var first = await _pipeline.GraphAsync(prepared.ManifestUri);

        var incremental = await _pipeline.GraphAsync(prepared.ManifestUri, "r1", GraphWriteMode.Incremental);
        var writes = incremental.Metadata.Processors.Values.SelectMany(p => p.Writes.Values).ToList();
        Assert.All(writes, w => Assert.Equal((0, 0, 0), (w.Created, w.Updated, w.Deleted)));
        Assert.True(writes.Sum(w => w.Skipped) > 1000);
        Assert.Equal(first.Metadata.Graph, incremental.Metadata.Graph, GraphCountsComparer.Instance);

        var full = await _pipeline.GraphAsync(prepared.ManifestUri, "r1", GraphWriteMode.Full);
        var sessions = full.Metadata.Processors["sessions_and_streams"].Writes[GraphLabels.SessionsThisYear];
        Assert.Equal(first.Metadata.Graph.Nodes[GraphLabels.SessionsThisYear], sessions.Deleted);
        Assert.Equal(sessions.Deleted, sessions.Created);
        Assert.Equal(0, full.Metadata.Processors["visitors"].Writes[GraphLabels.VisitorThisYear].Created);
        Assert.Equal(first.Metadata.Graph, full.Metadata.Graph, GraphCountsComparer.Instance);
    }

    [Fact]
    public async Task Environments_are_separate_graphs()
    {
        var prepared = await _pipeline.PrepareAsync();
        await _pipeline.GraphAsync(prepared.ManifestUri, environment: "test");

        await using var test = await _pipeline.Graphs.OpenAsync(_pipeline.Identity("test"));
        await using var dev = await _pipeline.Graphs.OpenAsync(_pipeline.Identity("dev"));
        Assert.NotEmpty(await test.ReadVisitorsAsync(VisitorKind.ThisYear));
        Assert.Empty(await dev.ReadVisitorsAsync(VisitorKind.ThisYear));
    }

    [Fact]
    public async Task Publishes_metadata_and_a_manifest_listing_the_step_1_artifacts_it_read()
    {
        var prepared = await _pipeline.PrepareAsync();
        var result = await _pipeline.GraphAsync(prepared.ManifestUri);

        Assert.EndsWith("runs/vet_lva/r1/graph_preparation/manifest.json", result.ManifestUri.ToString());
        Assert.Equal(11, result.Manifest.Inputs.Count);
        foreach (var input in result.Manifest.Inputs)
            Assert.Equal(prepared.Manifest.Output(input.Name).Sha256, input.Sha256);
        Assert.Equal(["graph_preparation"], new[] { result.Manifest.Step });
        Assert.Equal(["job_role_streams", "past_visitors", "sessions_and_streams", "specialisation_streams", "visitor_relationships", "visitors"],
            result.Metadata.Processors.Keys);
    }

    [Fact]
    public async Task An_artifact_changed_after_step_1_published_it_is_refused()
    {
        var prepared = await _pipeline.PrepareAsync();
        var visitors = prepared.Manifest.Output(DataPreparationOutputNames.VisitorsThisYear);
        Assert.True(_pipeline.Store.TryGetPath(visitors.Uri, out var path));
        await _pipeline.Store.PutAsync(path, new MemoryStream("BadgeId\nX1\n"u8.ToArray()));

        var error = await Assert.ThrowsAsync<PipelineInputException>(() => _pipeline.GraphAsync(prepared.ManifestUri));
        Assert.Equal(visitors.Uri.ToString(), error.File);
        Assert.Contains("changed after it was published", error.Message);
    }

    [Fact]
    public async Task A_manifest_of_another_step_is_refused()
    {
        var prepared = await _pipeline.PrepareAsync();
        var graphed = await _pipeline.GraphAsync(prepared.ManifestUri);

        var error = await Assert.ThrowsAsync<PipelineInputException>(() => _pipeline.GraphAsync(graphed.ManifestUri, "r2"));
        Assert.Contains("needs the manifest of step 1", error.Message);
    }

    private sealed class GraphCountsComparer : IEqualityComparer<GraphCounts>
    {
        public static readonly GraphCountsComparer Instance = new();
        public bool Equals(GraphCounts? x, GraphCounts? y) =>
            x!.Nodes.OrderBy(k => k.Key).SequenceEqual(y!.Nodes.OrderBy(k => k.Key))
            && x.Relationships.OrderBy(k => k.Key).SequenceEqual(y.Relationships.OrderBy(k => k.Key));
        public int GetHashCode(GraphCounts obj) => 0;
    }
}
