using Microsoft.Data.Sqlite;
using PipelineFunctions.Core.Graph;
using PipelineFunctions.Infrastructure.Graph;
using static PipelineFunctions.Infrastructure.Tests.Graph.GraphData;

namespace PipelineFunctions.Infrastructure.Tests.Graph;

/// <summary>A graph file of schema version 1 (flags in the visitor rows, relation and generated_at as text in every link row)
/// is migrated when opened, and reads as it did.</summary>
public sealed class SqliteGraphSchemaMigrationTests(GraphFolderFixture folder) : IClassFixture<GraphFolderFixture>
{
    private readonly SqliteAgendaGraphFactory _factory = folder.NewFactory();

    private const string Monday = "2026-03-02T06:00:00.0000000+00:00";

    // The version-1 tables the migration changes, as that version created them, with the rows it wrote.
    private const string Version1File = $$"""
        CREATE TABLE visitors (id INTEGER PRIMARY KEY, show TEXT NOT NULL, label TEXT NOT NULL, badge_id TEXT NOT NULL,
            properties TEXT NOT NULL, has_recommendation INTEGER NOT NULL DEFAULT 0, control_group INTEGER NOT NULL DEFAULT 0) STRICT;
        CREATE UNIQUE INDEX visitors_key ON visitors (show, label, badge_id);
        CREATE TABLE sessions (id INTEGER PRIMARY KEY, show TEXT NOT NULL, label TEXT NOT NULL, session_id TEXT NOT NULL,
            streams TEXT NOT NULL, properties TEXT NOT NULL) STRICT;
        CREATE UNIQUE INDEX sessions_key ON sessions (show, label, session_id);
        CREATE TABLE streams (id INTEGER PRIMARY KEY, show TEXT NOT NULL, stream_key TEXT NOT NULL, stream TEXT NOT NULL,
            description TEXT NOT NULL) STRICT;
        CREATE UNIQUE INDEX streams_key ON streams (show, stream_key);
        CREATE TABLE visitor_streams (show TEXT NOT NULL, relation TEXT NOT NULL,
            visitor INTEGER NOT NULL REFERENCES visitors (id) ON DELETE CASCADE, stream INTEGER NOT NULL REFERENCES streams (id) ON DELETE CASCADE,
            PRIMARY KEY (visitor, relation, stream)) STRICT, WITHOUT ROWID;
        CREATE INDEX visitor_streams_stream ON visitor_streams (stream);
        CREATE TABLE is_recommended (show TEXT NOT NULL, visitor INTEGER NOT NULL REFERENCES visitors (id) ON DELETE CASCADE,
            session INTEGER NOT NULL REFERENCES sessions (id) ON DELETE CASCADE, similarity_score REAL NOT NULL, generated_at TEXT NOT NULL,
            PRIMARY KEY (visitor, session)) STRICT, WITHOUT ROWID;
        CREATE INDEX is_recommended_session ON is_recommended (session);

        INSERT INTO visitors VALUES (1, 'vet_lva', 'Visitor_this_year', 'V2', '{"BadgeId":"V2"}', 1, 1),
            (2, 'vet_lva', 'Visitor_this_year', 'V1', '{"BadgeId":"V1","job":"vet"}', 1, 0),
            (3, 'vet_lva', 'Visitor_this_year', 'V3', '{"BadgeId":"V3"}', 0, 0);
        INSERT INTO sessions VALUES (1, 'vet_lva', 'Sessions_this_year', 'S1', '[]', '{"session_id":"S1"}'),
            (2, 'vet_lva', 'Sessions_this_year', 'S2', '[]', '{"session_id":"S2"}');
        INSERT INTO streams VALUES (1, 'vet_lva', 'cardiology', 'Cardiology', 'Hearts');
        INSERT INTO visitor_streams VALUES ('vet_lva', 'job_to_stream', 2, 1), ('vet_lva', 'specialization_to_stream', 3, 1);
        INSERT INTO is_recommended VALUES ('vet_lva', 2, 1, 0.5, '{{Monday}}'), ('vet_lva', 2, 2, 0.25, '{{Monday}}'),
            ('vet_lva', 1, 2, 0.75, '{{Monday}}');
        PRAGMA user_version = 1;
        """;

    [Fact]
    public async Task A_version_1_file_is_migrated_on_open_and_reads_as_before()
    {
        var path = _factory.DatabasePath("dev");
        Directory.CreateDirectory(_factory.RootFolder);
        await using (var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path, Pooling = false }.ToString()))
        {
            await connection.OpenAsync();
            await using var create = connection.CreateCommand();
            create.CommandText = Version1File;
            await create.ExecuteNonQueryAsync();
        }

        await using (var graph = await _factory.OpenAsync(VetLva))
        {
            Assert.Equal([("V1", true, false), ("V2", true, true), ("V3", false, false)],
                (await graph.ReadVisitorsAsync(VisitorKind.ThisYear)).Select(v => (v.BadgeId, v.HasRecommendation, v.ControlGroup)));
            Assert.Equal("vet", (await graph.ReadVisitorsAsync(VisitorKind.ThisYear))[0].Properties["job"]);
            Assert.Equal([new VisitorStreamLink("V1", "Cardiology")],
                await graph.ReadVisitorStreamsAsync(VisitorKind.ThisYear, VisitorStreamRelation.JobToStream));
            Assert.Equal([new VisitorStreamLink("V3", "Cardiology")],
                await graph.ReadVisitorStreamsAsync(VisitorKind.ThisYear, VisitorStreamRelation.SpecialisationToStream));
            Assert.Equal(
                [new RecommendationLink("V1", "S1", 0.5), new RecommendationLink("V1", "S2", 0.25), new RecommendationLink("V2", "S2", 0.75)],
                await graph.ReadRecommendationsAsync());
            var counts = await graph.CountAsync();
            Assert.Equal((1L, 1L, 3L), (counts.Relationships[GraphLabels.JobToStream], counts.Relationships[GraphLabels.SpecialisationToStream],
                counts.Relationships[GraphLabels.IsRecommended]));

            // Step 4 writes on the migrated file as on a new one.
            await graph.StoreRecommendationsAsync(["V2", "V3"], [new("V3", "S1", 0.125)], ["V3"], DateTimeOffset.Parse(Monday).AddDays(7));
            Assert.Equal([("V1", true, false), ("V2", false, false), ("V3", true, true)],
                (await graph.ReadVisitorsAsync(VisitorKind.ThisYear)).Select(v => (v.BadgeId, v.HasRecommendation, v.ControlGroup)));
        }

        Assert.Equal(2L, await ScalarAsync(path, "PRAGMA user_version"));
        Assert.Equal($"V1:{Monday},V1:{Monday},V3:{DateTimeOffset.Parse(Monday).AddDays(7):O}", await ScalarAsync(path, """
            SELECT group_concat(badge_id || ':' || generated_at, ',') FROM
                (SELECT v.badge_id, w.generated_at FROM is_recommended r JOIN visitors v ON v.id = r.visitor
                    JOIN recommendation_writes w ON w.id = r.write_id ORDER BY v.badge_id, r.session)
            """));
        Assert.Equal("ok", await ScalarAsync(path, "PRAGMA integrity_check"));
        Assert.Equal(0L, await ScalarAsync(path, "SELECT count(*) FROM pragma_foreign_key_check"));
    }
}
