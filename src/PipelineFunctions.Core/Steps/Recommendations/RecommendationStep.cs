using System.Diagnostics;
using Microsoft.Extensions.Logging;
using PipelineFunctions.Core.Artifacts;
using PipelineFunctions.Core.Events;
using PipelineFunctions.Core.Graph;
using PipelineFunctions.Core.Inputs;
using PipelineFunctions.Core.Steps.DataPreparation;
using PipelineFunctions.Core.Steps.GraphPreparation;
using PipelineFunctions.Core.Steps.Recommendations.Ranking;

namespace PipelineFunctions.Core.Steps.Recommendations;

/// <summary>
/// Step 4: rank every this-year session for each visitor (the event's current learned model when one is registered
/// and fits the graph's embeddings, else the reference heuristic), apply the business rules,
/// build all agendas at once (cap, time clashes, theatre capacity with backfill), set the control group aside,
/// export JSON and CSV, and write IS_RECOMMENDED back to the graph. Everything the step reads from the graph is read
/// in bulk, once; everything it decides is deterministic, so the same graph and config give the same exports.
/// </summary>
public sealed class RecommendationStep(ILogger<RecommendationStep> logger, TimeProvider time)
{
    public const string StepName = "recommendations";
    public const string RecommendationsJson = "recommendations.json";
    public const string RecommendationsCsv = "recommendations.csv";
    public const string ControlJson = "control/recommendations_control.json";
    public const string ControlCsv = "control/recommendations_control.csv";
    public const string MetadataName = "metadata.json";

    public async Task<RecommendationResult> RunAsync(RecommendationRequest request, CancellationToken cancellationToken = default)
    {
        var config = request.Config;
        var environment = request.Environment ?? config.Graph.Environment;
        var incremental = request.Incremental ?? config.Graph.CreateOnlyNew;
        var folder = RunFolders.StepFolder(config.Event.Name, request.RunId, StepName);
        using var scope = logger.BeginScope(new Dictionary<string, object>
        {
            ["event"] = config.Event.Name, ["runId"] = request.RunId, ["step"] = StepName
        });
        var startedAt = time.GetUtcNow();
        var total = Stopwatch.StartNew();
        var phases = new SortedDictionary<string, long>(StringComparer.Ordinal);
        var phase = Stopwatch.StartNew();
        void EndPhase(string name) { phases[name] = phase.ElapsedMilliseconds; phase.Restart(); }

        var prepared = await ArtifactReader.ReadManifestAsync(request.Store, request.DataPreparationManifest, cancellationToken);
        var theatres = await ArtifactReader.ReadTableAsync(request.Store, prepared.Output(DataPreparationOutputNames.Theatres), cancellationToken);
        var capacity = RankingDataset.TheatreCapacities(theatres);

        var identity = new GraphIdentity(config.Event.Name, config.Event.MainEventName, config.Event.SecondaryEventName, environment);
        await using var graph = await request.Graphs.OpenAsync(identity, cancellationToken);
        var data = await ReadAsync(graph, incremental, cancellationToken);
        if (data.ThisYearEmbeddings.Count == 0)
            throw new PipelineInputException($"graph {environment}/{config.Event.Name}",
                "holds no session embeddings: run step 3 (embeddings) first");

        var sessions = Recommendable(await graph.ReadSessionsAsync(SessionYear.ThisYear, cancellationToken), data.ThisYearEmbeddings);
        var (learned, rankerNote) = await LearnedRankerAsync(config, request.Store, data, cancellationToken);
        var knowledge = learned is null ? null : await KnowledgeAsync(request.Store, prepared, graph, data, capacity, cancellationToken);
        EndPhase("read");
        var recommendable = data.ThisYearEmbeddings.Where(e => sessions.ContainsKey(e.SessionId)).ToList();
        IReadOnlyList<VisitorScoring> scorings;
        if (learned is not null)
        {
            var rankingSessions = recommendable.OrderBy(e => e.SessionId, StringComparer.Ordinal)
                .Select(e => new RankingSession(e.SessionId, sessions[e.SessionId].Streams, sessions[e.SessionId].Theatre, e.Vector)).ToList();
            scorings = new LearnedRankingScorer(config, knowledge!, data.SameVisitors, rankingSessions, learned.Model).ScoreAll(data.Visitors,
                cancellationToken);
        }
        else
        {
            var scorer = new ReferenceHeuristicScorer(config, data with { ThisYearEmbeddings = recommendable });
            scorings = data.Visitors.Select(scorer.Score).ToList();
        }
        EndPhase("score");
        var rules = config.Recommendation.Rules is { } r ? new BusinessRuleFilter(r, config.Registration.JobRoleField,
            config.Registration.PracticeTypeFields.ThisYear) : null;

        var candidates = new List<VisitorCandidates>(data.Visitors.Count);
        var strategies = new Dictionary<string, string>(StringComparer.Ordinal);
        var notes = new Dictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal);
        foreach (var scoring in scorings)
        {
            var visitor = scoring.Candidates;
            var visitorNotes = new List<string>();
            var ranked = rules is null ? scoring.Candidates.Ranked : rules.Apply(scoring.Candidates, sessions, visitorNotes);
            candidates.Add(scoring.Candidates with { Ranked = ranked });
            strategies[visitor.BadgeId] = scoring.Strategy;
            if (visitorNotes.Count > 0) notes[visitor.BadgeId] = visitorNotes;
        }
        EndPhase("rules");
        var assembled = new AgendaAssembler(config.Recommendation, capacity).Assemble(candidates, sessions, notes);
        EndPhase("assemble");
        var withItems = assembled.Agendas.Where(a => a.Items.Count > 0).ToList();
        var control = new ControlGroupSelector(config.Recommendation.ControlGroup).Select(withItems.Select(a => a.BadgeId));

        var properties = data.Visitors.ToDictionary(v => v.BadgeId, v => v.Properties, StringComparer.Ordinal);
        var exported = withItems.Select(a => new ExportedAgenda(a, properties[a.BadgeId], strategies[a.BadgeId])).ToList();
        var treatment = exported.Where(a => !control.Contains(a.Agenda.BadgeId)).ToList();
        var controlGroup = exported.Where(a => control.Contains(a.Agenda.BadgeId)).ToList();
        var theatreStats = assembled.Statistics.Theatres.ToDictionary(t => $"{t.Theatre}:assignments", t => (long)t.Assignments);
        var counts = new SortedDictionary<string, long>(StringComparer.Ordinal)
        {
            ["visitors_processed"] = data.Visitors.Count,
            ["visitors_with_recommendations"] = withItems.Count,
            ["visitors_without_recommendations"] = data.Visitors.Count - withItems.Count,
            ["control_group"] = control.Count,
            ["recommendations"] = withItems.Sum(a => (long)a.Items.Count),
            ["unique_sessions"] = withItems.SelectMany(a => a.Items).Select(i => i.SessionId).Distinct(StringComparer.Ordinal).Count(),
            ["sessions_recommendable"] = sessions.Count,
            ["capacity_refusals"] = assembled.Statistics.CapacityRefusals,
            ["backfilled_visitors"] = assembled.Statistics.BackfilledVisitors,
            ["visitors_with_rule_notes"] = notes.Count,
        };
        var strategyCounts = new SortedDictionary<string, long>(strategies.Values.GroupBy(s => s).ToDictionary(g => g.Key, g => (long)g.Count()),
            StringComparer.Ordinal);

        // The four documents are independent: rendered side by side.
        var rendering = new (string Name, Func<byte[]> Render, long? Rows)[]
        {
            (RecommendationsJson, () => RecommendationExports.Json(config, treatment, sessions, theatreStats, counts), treatment.Count),
            (RecommendationsCsv, () => RecommendationExports.Csv(config, treatment, sessions), treatment.Sum(a => (long)a.Agenda.Items.Count)),
            (ControlJson, () => RecommendationExports.Json(config, controlGroup, sessions, theatreStats, counts), controlGroup.Count),
            (ControlCsv, () => RecommendationExports.Csv(config, controlGroup, sessions), controlGroup.Sum(a => (long)a.Agenda.Items.Count)),
        };
        var contents = await Task.WhenAll(rendering.Select(r => Task.Run(r.Render, cancellationToken)));
        var rendered = rendering.Select((r, i) => (r.Name, Content: contents[i], r.Rows)).ToList();

        EndPhase("export");
        // Graph first: a failed write-back leaves no exports promising recommendations the graph does not hold.
        var links = withItems.SelectMany(a => a.Items.Select(i => new RecommendationLink(a.BadgeId, i.SessionId, i.Score))).ToList();
        await graph.StoreRecommendationsAsync(data.Visitors.Select(v => v.BadgeId).ToList(), links, control, time.GetUtcNow(), cancellationToken);

        EndPhase("graph_write_back");
        var outputs = new List<ManifestOutput>();
        foreach (var (name, content, rows) in rendered)
        {
            var stored = await request.Store.PutAsync(folder.Combine(name.Split('/')), new MemoryStream(content), cancellationToken);
            outputs.Add(new ManifestOutput(name, stored.Uri, stored.Sha256, stored.Length, rows));
        }
        EndPhase("publish");
        total.Stop();
        var metadata = new RecommendationMetadata(StepName, config.Event.Name, request.RunId, environment, incremental,
            learned is null ? RankingMethods.ReferenceHeuristic : $"{RankingMethods.LearnedRanker}:{learned.Info.Version}", rankerNote,
            startedAt, time.GetUtcNow(), total.ElapsedMilliseconds, counts, strategyCounts, assembled.Statistics, phases);
        var metadataArtifact = await request.Store.PutAsync(folder.Combine(MetadataName), new MemoryStream(PipelineJson.Serialize(metadata)),
            cancellationToken);
        outputs.Add(new ManifestOutput(MetadataName, metadataArtifact.Uri, metadataArtifact.Sha256, metadataArtifact.Length, null));
        var inputs = new List<ManifestInput> { Consumed(prepared.Output(DataPreparationOutputNames.Theatres)) };
        if (learned is not null)
        {
            // The model is an input like any other: the manifest says which one ranked, with its hash.
            inputs.Add(Consumed(prepared.Output(DataPreparationOutputNames.JobRoleStreams)));
            inputs.Add(Consumed(prepared.Output(DataPreparationOutputNames.SpecialisationStreams)));
            var modelPath = new RankingModelRegistry(request.Store,
                config.Event.Name).Folder(learned.Info.Version).Combine(RankingModelRegistry.ModelFile);
            inputs.Add(new ManifestInput($"ranking_model:{learned.Info.Version}", request.Store.GetUri(modelPath),
                await request.Store.GetContentHashAsync(modelPath, cancellationToken), learned.ModelBytes));
        }
        var manifest = new ArtifactManifest(StepName, config.Event.Name, request.RunId, time.GetUtcNow(), inputs, outputs);
        var manifestPath = folder.Combine(ArtifactManifest.FileName);
        await request.Store.PutAsync(manifestPath, new MemoryStream(PipelineJson.Serialize(manifest)), cancellationToken);

        logger.LogInformation("Recommended for {Visitors} of {Processed} visitors in {ElapsedMs} ms", withItems.Count, data.Visitors.Count,
            total.ElapsedMilliseconds);
        return new RecommendationResult(request.Store.GetUri(manifestPath), manifest, metadata);
    }

    private static ManifestInput Consumed(ManifestOutput output) => new(output.Name, output.Uri, output.Sha256, output.Bytes);

    /// <summary>The event's current model when learned models are enabled and it fits this graph; else why not.</summary>
    private async Task<(RegisteredRanker? Model, string? Note)> LearnedRankerAsync(EventConfig config, IArtifactStore store, RecommendationData data,
        CancellationToken cancellationToken)
    {
        if (!config.Recommendation.Ranking.UseLearnedModel) return (null, null);
        var registry = new RankingModelRegistry(store, config.Event.Name);
        var current = await registry.LoadCurrentAsync(cancellationToken);
        string? note = null;
        if (current is null) note = $"no ranking model is registered for {config.Event.Name} (pa train trains one)";
        else if (current.Info.FeatureSchema != RankingFeatures.SchemaVersion)
            note = $"model {current.Info.Version} was trained on features {current.Info.FeatureSchema}, " +
                $"this code computes {RankingFeatures.SchemaVersion}";
        else if (data.ThisYearEmbeddings.Select(e => e.Model).Concat(data.PastEmbeddings.Select(e => e.Model))
            .FirstOrDefault(m => m != current.Info.EmbeddingModel) is { } other)
            note = $"model {current.Info.Version} was trained on embeddings of {current.Info.EmbeddingModel}, the graph holds {other}";
        if (note is null) return (current, null);
        logger.LogWarning("Using the reference heuristic: {Reason}", note);
        return (null, note);
    }

    /// <summary>Last year's knowledge for the learned ranker, from the graph and step 1's stream matrices.</summary>
    private static async Task<RankingKnowledge> KnowledgeAsync(IArtifactStore store, ArtifactManifest prepared, IAgendaGraph graph,
        RecommendationData data,
        IReadOnlyDictionary<string, int> capacity, CancellationToken cancellationToken)
    {
        var vectors = data.PastEmbeddings.ToDictionary(e => e.SessionId, e => e.Vector, StringComparer.Ordinal);
        var past = (await graph.ReadSessionsAsync(SessionYear.Past, cancellationToken))
            .Where(s => vectors.ContainsKey(s.SessionId))
            .Select(s => new RankingSession(s.SessionId, s.Streams, s.Properties.GetValueOrDefault("theatre__name") ?? "", vectors[s.SessionId]))
            .ToList();
        var jobRoles = await ArtifactReader.ReadTableAsync(store, prepared.Output(DataPreparationOutputNames.JobRoleStreams), cancellationToken);
        var specialisations = await ArtifactReader.ReadTableAsync(store, prepared.Output(DataPreparationOutputNames.SpecialisationStreams),
            cancellationToken);
        return new RankingKnowledge(data.PastVisitors, data.Attendance, past,
            StreamMatrix.From(jobRoles, "job_role"), StreamMatrix.From(specialisations, "specialisation"), capacity);
    }

    /// <summary>Everything step 4 reads from the graph, in bulk (also what the benchmark's naive comparison reads).</summary>
    public static async Task<RecommendationData> ReadAsync(IAgendaGraph graph, bool incremental, CancellationToken cancellationToken) =>
        new(await graph.ReadVisitorsAsync(VisitorKind.ThisYear, onlyWithoutRecommendation: incremental, cancellationToken),
            new Dictionary<VisitorKind, IReadOnlyList<VisitorNode>>
            {
                [VisitorKind.PastMain] = await graph.ReadVisitorsAsync(VisitorKind.PastMain, cancellationToken: cancellationToken),
                [VisitorKind.PastSecondary] = await graph.ReadVisitorsAsync(VisitorKind.PastSecondary, cancellationToken: cancellationToken),
            },
            await graph.ReadSameVisitorsAsync(cancellationToken),
            new Dictionary<VisitorKind, IReadOnlyList<AttendanceLink>>
            {
                [VisitorKind.PastMain] = await graph.ReadAttendedSessionsAsync(VisitorKind.PastMain, cancellationToken),
                [VisitorKind.PastSecondary] = await graph.ReadAttendedSessionsAsync(VisitorKind.PastSecondary, cancellationToken),
            },
            await graph.ReadEmbeddingsAsync(SessionYear.ThisYear, cancellationToken),
            await graph.ReadEmbeddingsAsync(SessionYear.Past, cancellationToken));

    /// <summary>This year's sessions that have an embedding and a parseable date and time.</summary>
    private static Dictionary<string, RecommendableSession> Recommendable(IReadOnlyList<SessionNode> sessions,
        IReadOnlyList<SessionEmbedding> embeddings)
    {
        var embedded = new HashSet<string>(embeddings.Select(e => e.SessionId), StringComparer.Ordinal);
        var result = new Dictionary<string, RecommendableSession>(StringComparer.Ordinal);
        foreach (var session in sessions)
        {
            string P(string name) => session.Properties.GetValueOrDefault(name) ?? "";
            if (!embedded.Contains(session.SessionId)) continue;
            if (!InputDates.TryParseDate(P("date"), out var date) || !InputDates.TryParseTime(P("start_time"), out var start)
                || !InputDates.TryParseTime(P("end_time"), out var end))
                throw new PipelineInputException($"session {session.SessionId}",
                    "has no valid date, start_time and end_time in the graph (was it written by step 2?)");
            result[session.SessionId] = new RecommendableSession(session.SessionId, P("title"), session.Streams, date, start, end,
                P("theatre__name"));
        }
        return result;
    }
}
