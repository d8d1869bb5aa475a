using System.Security.Cryptography;
using System.Text;
using PipelineFunctions.Core.Artifacts;
using PipelineFunctions.Core.Events;
using PipelineFunctions.Core.Graph;
using PipelineFunctions.Core.Steps.DataPreparation;
using PipelineFunctions.Core.Steps.Embeddings;
using PipelineFunctions.Core.Steps.GraphPreparation;

namespace PipelineFunctions.Core.Steps.Recommendations.Ranking;

/// <summary>
/// What training and evaluation learn from: last year's knowledge, the main show's past sessions (the candidates a
/// past visitor is ranked over), the embedding model the vectors came from and a hash of the data.
/// </summary>
public sealed record RankingDataset(RankingKnowledge Knowledge, IReadOnlyList<RankingSession> MainSessions, string EmbeddingModel, string DataHash)
{
    /// <summary>
    /// Past main-show badge -> the same person's past secondary-show badge, for the people step 1 links to both (this
    /// year's visitors who came to both past shows). The experiment ranks such a held-out visitor with their secondary-show
    /// sessions as own history, as step 4 ranks a returning visitor with sessions of another show.
    /// </summary>
    public IReadOnlyDictionary<string, string> SecondarySelves { get; init; } = new Dictionary<string, string>(StringComparer.Ordinal);

    /// <summary>Past main-show visitors who attended at least one of the candidates, with what they attended.</summary>
    public IReadOnlyList<PastVisitorQuery> MainVisitorQueries(IReadOnlySet<string> candidateIds)
    {
        var attended = (Knowledge.Attendance.GetValueOrDefault(VisitorKind.PastMain) ?? [])
            .Where(l => candidateIds.Contains(l.SessionId))
            .GroupBy(l => l.BadgeId, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.Select(l => l.SessionId).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList(),
                StringComparer.Ordinal);
        return (Knowledge.PastVisitors.GetValueOrDefault(VisitorKind.PastMain) ?? [])
            .Where(v => attended.ContainsKey(v.BadgeId))
            .Select(v => new PastVisitorQuery(VisitorKind.PastMain, v, attended[v.BadgeId]))
            .ToList();
    }

    /// <summary>
    /// Builds the dataset from a step-1 run: sessions and visitors exactly as step 2 puts them in the graph, past
    /// sessions embedded with the event's step-3 generator (the stored local model when there is one, so the vectors
    /// are the ones step 4 reads from the graph).
    /// </summary>
    public static async Task<RankingDataset> FromPreparationAsync(EventConfig config, IArtifactStore store, ArtifactManifest prepared,
        ISessionEmbedderProvider embedders, CancellationToken cancellationToken)
    {
        var inputs = await GraphPreparationInputs.ReadAsync(store, prepared, cancellationToken);
        var thisYear = SessionStreamProcessor.Sessions([inputs.SessionsThisYear], out _);
        var past = SessionStreamProcessor.Sessions([inputs.SessionsPastMain, inputs.SessionsPastSecondary], out _);
        var mainIds = new HashSet<string>(inputs.SessionsPastMain.Rows.Select(r => r[inputs.SessionsPastMain.Column("session_id")]),
            StringComparer.Ordinal);
        var descriptions = config.Embeddings.IncludeStreamDescriptions
            ? new Dictionary<string, string>(inputs.Streams, StringComparer.OrdinalIgnoreCase)
            : null;

        var corpus = thisYear.Concat(past).Select(s => SessionText.Build(s, descriptions)).ToList();
        using var embedder = await embedders.GetAsync(config, corpus, refit: false, cancellationToken);
        var pastTexts = corpus.Skip(thisYear.Count).ToList();
        var vectors = new List<float[]>(past.Count);
        foreach (var batch in pastTexts.Chunk(config.Embeddings.BatchSize))
            vectors.AddRange((await embedder.Generator.GenerateAsync(batch, cancellationToken: cancellationToken)).Select(e => e.Vector.ToArray()));

        var sessions = past.Select((s, i) => new RankingSession(s.SessionId, s.Streams, s.Properties.GetValueOrDefault("theatre__name") ?? "",
            vectors[i])).ToList();
        var theatres = await ArtifactReader.ReadTableAsync(store, prepared.Output(DataPreparationOutputNames.Theatres), cancellationToken);
        var knowledge = new RankingKnowledge(
            new Dictionary<VisitorKind, IReadOnlyList<VisitorNode>>
            {
                [VisitorKind.PastMain] = Visitors(inputs.VisitorsPastMain),
                [VisitorKind.PastSecondary] = Visitors(inputs.VisitorsPastSecondary),
            },
            new Dictionary<VisitorKind, IReadOnlyList<AttendanceLink>>
            {
                [VisitorKind.PastMain] = VisitorRelationshipProcessor.Attendance(inputs.ScansPastMain),
                [VisitorKind.PastSecondary] = VisitorRelationshipProcessor.Attendance(inputs.ScansPastSecondary),
            },
            sessions,
            StreamMatrix.From(inputs.JobRoleStreams, "job_role"),
            StreamMatrix.From(inputs.SpecialisationStreams, "specialisation"),
            TheatreCapacities(theatres));

        // The data hash: every step-1 input's hash plus the embedding model, so the same data always hashes the same.
        var fingerprint = string.Join('\n', prepared.Inputs.OrderBy(i => i.Name, StringComparer.Ordinal).Select(i => $"{i.Name}:{i.Sha256}"))
            + $"\nembedding:{embedder.ModelId}\nfeatures:{RankingFeatures.SchemaVersion}";
        var hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(fingerprint)));
        return new RankingDataset(knowledge, sessions.Where(s => mainIds.Contains(s.SessionId)).ToList(), embedder.ModelId, hash)
        {
            SecondarySelves = SecondarySelvesOf(config, inputs.VisitorsThisYear),
        };
    }

    /// <summary>From this year's visitors' past badge columns: whoever has both a main and a secondary past badge.</summary>
    public static Dictionary<string, string> SecondarySelvesOf(EventConfig config, ArtifactTable visitorsThisYear)
    {
        var selves = new Dictionary<string, string>(StringComparer.Ordinal);
        var mainColumn = DataPreparationOutputs.PastBadgeColumn(config.Event.MainEventName);
        var secondaryColumn = DataPreparationOutputs.PastBadgeColumn(config.Event.SecondaryEventName);
        if (!visitorsThisYear.Header.Contains(mainColumn) || !visitorsThisYear.Header.Contains(secondaryColumn)) return selves;
        var main = visitorsThisYear.Column(mainColumn);
        var secondary = visitorsThisYear.Column(secondaryColumn);
        foreach (var row in visitorsThisYear.Rows)
            if (row[main].Length > 0 && row[secondary].Length > 0) selves.TryAdd(row[main], row[secondary]);
        return selves;
    }

    public static Dictionary<string, int> TheatreCapacities(ArtifactTable theatres) =>
        theatres.Rows.ToDictionary(r => r[theatres.Column("theatre__name")], r => int.Parse(r[theatres.Column("capacity")],
            System.Globalization.CultureInfo.InvariantCulture), StringComparer.OrdinalIgnoreCase);

    private static List<VisitorNode> Visitors(ArtifactTable table)
    {
        var badge = table.Column("BadgeId");
        return table.Rows.Select(row => new VisitorNode(row[badge], table.Properties(row))).ToList();
    }
}
