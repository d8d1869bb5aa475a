using System.Diagnostics;
using System.Runtime.ExceptionServices;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using PipelineFunctions.Core.Artifacts;
using PipelineFunctions.Core.Events;
using PipelineFunctions.Core.Graph;
using PipelineFunctions.Core.Inputs;
using PipelineFunctions.Core.Orchestration.Reuse;
using PipelineFunctions.Core.Steps.DataPreparation;
using PipelineFunctions.Core.Steps.Recommendations.Ranking;

namespace PipelineFunctions.Core.Steps.Recommendations.Sharding;

/// <summary>
/// Step 4 as a plan, shards scored in parallel, and a fan-in, each of which may run in another process:
/// <list type="number">
/// <item>The plan reads everything show-wide from the graph and step 1 once and writes it as the scoring context, and
/// writes this year's visitors into shards (<see cref="ShardMembership"/>), under the step's <c>parts/</c> folder.</item>
/// <item>A shard reads the context and its visitors, ranks them (learned ranker or reference heuristic), applies the
/// business rules and writes each visitor's best candidates. A shard whose context and visitors are unchanged since an
/// earlier run is copied from <c>reuse/&lt;event&gt;/recommendation-shards/</c> instead.</item>
/// <item>The fan-in reads every shard's candidates and does what is global: agendas with theatre capacity and backfill,
/// the control group, the exports, the graph write-back and the manifest, last.</item>
/// </list>
/// Shards keep only the first <see cref="ScoringContext.CandidateDepth"/> candidates of a visitor. The assembler takes a
/// visitor's candidates in order and stops at the cap, so unless it runs off the end of a cut list (counted in the
/// metadata as truncated_lists_exhausted) the agendas are exactly those of the uncut lists, for any shard size.
/// </summary>
internal sealed class RecommendationShards(ILogger logger, TimeProvider time)
{
    public const string ContextFile = "context.json";
    private static readonly JsonSerializerOptions Compact = new(PipelineJson.Options) { WriteIndented = false };
    // Shards of one run in this process share the parsed context and the show-wide scorer, by the context's hash.
    private static readonly InUseCache<ShardKnowledge> Knowledge = new();

    /// <summary>Candidates kept per visitor: enough for the cap after clashes, duplicates and full theatre slots.</summary>
    public static int CandidateDepth(RecommendationSettings settings) =>
        Math.Max(LearnedRankingScorer.KeptCandidates, 8 * settings.MaxRecommendations);

    public async Task<RecommendationShardPlan> PlanAsync(RecommendationRequest request, CancellationToken cancellationToken)
    {
        var config = request.Config;
        var (environment, incremental) = Resolve(request);
        var prepared = await ArtifactReader.ReadManifestAsync(request.Store, request.DataPreparationManifest, cancellationToken);
        var theatresOutput = prepared.Output(DataPreparationOutputNames.Theatres);
        var theatres = await ArtifactReader.ReadTableAsync(request.Store, theatresOutput, cancellationToken);
        var capacity = RankingDataset.TheatreCapacities(theatres);

        var identity = new GraphIdentity(config.Event.Name, config.Event.MainEventName, config.Event.SecondaryEventName, environment);
        var shardColumns = ShardColumns(config);
        // This year's visitors and their past selves are read on a second connection while the context is built from the first.
        // Only the columns a shard holds: the others were most of what the plan decoded and allocated.
        var reading = Task.Run(async () =>
        {
            await using var graph = await request.Graphs.OpenAsync(identity, cancellationToken);
            var visitors = await graph.ReadVisitorColumnsAsync(VisitorKind.ThisYear, shardColumns, onlyWithoutRecommendation: incremental,
                cancellationToken);
            return (Visitors: visitors, SameVisitors: await graph.ReadSameVisitorsAsync(cancellationToken));
        }, cancellationToken);
        ScoringContext context;
        await using (var graph = await request.Graphs.OpenAsync(identity, cancellationToken))
        {
            var thisYear = await graph.ReadEmbeddingsAsync(SessionYear.ThisYear, cancellationToken);
            if (thisYear.Count == 0)
                throw new PipelineInputException($"graph {environment}/{config.Event.Name}",
                    "holds no session embeddings: run step 3 (embeddings) first");
            var past = await graph.ReadEmbeddingsAsync(SessionYear.Past, cancellationToken);
            var sessions = Recommendable(await graph.ReadSessionsAsync(SessionYear.ThisYear, cancellationToken), thisYear);
            var recommendable = sessions.Select(s => s.SessionId).ToHashSet(StringComparer.Ordinal);
            var (learned, rankerNote) = await LearnedRankerAsync(config, request.Store, thisYear, past, cancellationToken);

            var attributes = new VisitorAttributes(config);
            var groups = new List<PastVisitorGroup>();
            foreach (var kind in new[] { VisitorKind.PastMain, VisitorKind.PastSecondary })
            {
                var attended = await graph.ReadAttendedSessionsAsync(kind, cancellationToken);
                var attendees = new HashSet<string>(attended.Select(a => a.BadgeId), StringComparer.Ordinal);
                var columns = attributes.ColumnsRead(kind).Order(StringComparer.Ordinal).ToArray();
                var pastVisitors = (await graph.ReadVisitorColumnsAsync(kind, columns.ToHashSet(StringComparer.Ordinal),
                        cancellationToken: cancellationToken))
                    .Where(v => attendees.Contains(v.BadgeId))
                    .Select(v => (string?[])[v.BadgeId, .. columns.Select(c => v.Properties.GetValueOrDefault(c))])
                    .ToList();
                groups.Add(new PastVisitorGroup(kind, columns, pastVisitors, attended.Select(a => new[] { a.BadgeId, a.SessionId }).ToList()));
            }

            IReadOnlyList<ContextPastSession> pastSessions = [];
            ManifestInput? model = null;
            var vectors = past.Select(e => e.SessionId).ToHashSet(StringComparer.Ordinal);
            var embeddedPast = (await graph.ReadSessionsAsync(SessionYear.Past, cancellationToken)).Where(s => vectors.Contains(s.SessionId))
                .ToList();
            // The reasons name past sessions by title (a session id if a show has it twice: the first title read).
            var pastTitles = new SortedDictionary<string, string>(StringComparer.Ordinal);
            foreach (var session in embeddedPast) pastTitles.TryAdd(session.SessionId, session.Properties.GetValueOrDefault("title") ?? "");
            if (learned is not null)
            {
                pastSessions = embeddedPast
                    .Select(s => new ContextPastSession(s.SessionId, s.Streams, s.Properties.GetValueOrDefault("theatre__name") ?? "")).ToList();
                var modelPath = new RankingModelRegistry(request.Store, config.Event.Name).Folder(learned.Info.Version)
                    .Combine(RankingModelRegistry.ModelFile);
                model = new ManifestInput($"ranking_model:{learned.Info.Version}", request.Store.GetUri(modelPath),
                    await request.Store.GetContentHashAsync(modelPath, cancellationToken), learned.ModelBytes);
            }

            context = new ScoringContext(StepFingerprint.OfConfig(config), CodeVersion.Current, CandidateDepth(config.Recommendation), model,
                learned?.Info.Version, rankerNote, theatresOutput,
                prepared.Output(DataPreparationOutputNames.JobRoleStreams), prepared.Output(DataPreparationOutputNames.SpecialisationStreams),
                capacity, sessions,
                thisYear.Where(e => recommendable.Contains(e.SessionId)).Select(e => ContextEmbedding.Of(e.SessionId, e.Model, e.Vector))
                    .ToList(),
                past.Select(e => ContextEmbedding.Of(e.SessionId, e.Model, e.Vector)).ToList(),
                pastSessions, groups, pastTitles);
        }
        var (visitors, sameVisitors) = await reading;

        var parts = Parts(request);
        // Serialized straight into the store's file: no copy of the context (tens of megabytes at a large show) in memory.
        var stored = await request.Store.PutRenderedAsync(parts.Combine(ContextFile), (stream, _) =>
        {
            var buffer = new BufferedStream(stream, 1 << 16);
            JsonSerializer.Serialize(buffer, context, Compact);
            buffer.Flush();
        }, cancellationToken);

        var byBadge = visitors.ToDictionary(v => v.BadgeId, StringComparer.Ordinal);
        var selves = sameVisitors.ToLookup(l => l.BadgeId, StringComparer.Ordinal);
        var shards = ShardMembership.Assign(byBadge.Keys, config.Recommendation.ShardSize);
        // One shard per core at a time: serializing a shard is most of the plan's time after the reads.
        await Parallel.ForEachAsync(Enumerable.Range(0, shards.Count),
            new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount, CancellationToken = cancellationToken }, async (i, token) =>
            {
                // The visitors' own properties: the file keeps only the shard's columns of them, so no filtered copy is made.
                var members = new List<ShardVisitor>(shards[i].Count);
                foreach (var id in shards[i]) members.Add(new ShardVisitor(id, byBadge[id].Properties, [.. selves[id]]));
                await request.Store.PutRenderedAsync(ShardPath(parts, i), (stream, _) => ShardMembersFile.Write(stream, members, shardColumns),
                    token);
            });
        logger.LogInformation("Planned {Visitors} visitors in {Shards} shards", visitors.Count, shards.Count);
        return new RecommendationShardPlan(shards.Count, visitors.Count, stored.Sha256);
    }

    /// <summary>
    /// The columns of this year's visitors a shard reads: the similarity attributes, what the business rules and the learned
    /// ranker look at, and the exported ones. Only these are written to a shard, which keeps shards small and lets a change
    /// in any other column (an e-mail address, say) leave a shard's cached candidates valid.
    /// </summary>
    public static IReadOnlySet<string> ShardColumns(EventConfig config)
    {
        var registration = config.Registration;
        var columns = new HashSet<string>(new VisitorAttributes(config).ColumnsRead(VisitorKind.ThisYear), StringComparer.Ordinal);
        columns.UnionWith(BusinessRuleFilter.ColumnsRead(registration.JobRoleField, registration.PracticeTypeFields.ThisYear));
        columns.UnionWith(RecommendationExports.VisitorColumns(config));
        return columns;
    }

    public async Task<RecommendationShardResult> ScoreAsync(RecommendationRequest request, int shard, string contextSha256,
        CancellationToken cancellationToken)
    {
        var config = request.Config;
        var parts = Parts(request);
        var shardPath = ShardPath(parts, shard);
        if (!await request.Store.ExistsAsync(shardPath, cancellationToken))
            throw new PipelineInputException(request.Store.GetUri(shardPath).ToString(), $"is missing: shard {shard + 1} was never planned");
        var shardSha256 = await request.Store.GetContentHashAsync(shardPath, cancellationToken);
        var key = Sha256($"{contextSha256}\n{shardSha256}\n{CodeVersion.Current}");
        var output = CandidatesPath(parts, shard);
        var cached = new ShardCache(request.Store, config.Event.Name).PathOf(key);

        if (!request.Force && await CachedHeaderAsync(request.Store, cached, cancellationToken) is { } header && header.Key == key)
        {
            try
            {
                // Copied where the store keeps it (a server-side copy in Blob Storage): tens of megabytes never pass through here.
                await request.Store.CopyAsync(cached, output, cancellationToken);
                return new RecommendationShardResult(header.Visitors, true);
            }
            catch (ArtifactNotFoundException)
            {
                // Deleted by another run's fan-in since it was read (no kept run used it): scored again below.
            }
        }

        var watch = Stopwatch.StartNew();
        var members = ShardMembersFile.Read(new MemoryStream(await ArtifactReader.ReadAllBytesAsync(request.Store, shardPath, cancellationToken)),
            request.Store.GetUri(shardPath).ToString());
        long read = 0;
        var scored = await Knowledge.UseAsync(contextSha256,
            async () =>
            {
                var context = await ReadContextAsync(request, contextSha256, cancellationToken);
                var model = context.Model is { } input ? await LoadModelAsync(request.Store, input, cancellationToken) : null;
                return await ShardKnowledge.LoadAsync(config, request.Store, context, model, cancellationToken);
            },
            knowledge =>
            {
                read = watch.ElapsedMilliseconds;
                return ScoreAsync(request, knowledge, members, cancellationToken);
            });
        var scoring = watch.ElapsedMilliseconds - read;
        // Rendered once, straight into the store's file (tens of megabytes at a large show: no copy in memory), then copied
        // into the reuse cache where the store keeps it, rather than rendered or uploaded again.
        await request.Store.PutRenderedAsync(output, (stream, _) => ShardCandidatesFile.Write(stream, key, scored), cancellationToken);
        await request.Store.CopyAsync(output, cached, cancellationToken);
        logger.LogInformation("Shard {Shard}: {Visitors} visitors, read in {ReadMs} ms, scored in {ScoreMs} ms, written in {WriteMs} ms", shard + 1,
            members.Count, read, scoring, watch.ElapsedMilliseconds - read - scoring);
        return new RecommendationShardResult(members.Count, false);
    }

    /// <summary>A cached shard's key and visitor count, from the first bytes of its file; null when there is none or it is damaged.</summary>
    private static async Task<(string Key, int Visitors)?> CachedHeaderAsync(IArtifactStore store, ArtifactPath cached,
        CancellationToken cancellationToken)
    {
        try
        {
            await using var stream = await store.OpenReadAsync(cached, cancellationToken);
            return ShardCandidatesFile.Header(new BufferedStream(stream, 4096));
        }
        catch (ArtifactNotFoundException)
        {
            return null;
        }
    }

    private async Task<List<ScoredVisitor>> ScoreAsync(RecommendationRequest request, ShardKnowledge knowledge, List<ShardVisitor> members,
        CancellationToken cancellationToken)
    {
        var config = request.Config;
        var context = knowledge.Context;
        var (sessions, sessionIndex) = (knowledge.Sessions, knowledge.SessionIndex);
        var visitors = members.Select(m => new VisitorNode(m.BadgeId, m.Properties)).ToList();
        var sameVisitors = members.SelectMany(m => m.PastSelves).ToList();
        var rules = config.Recommendation.Rules is { } r ? new BusinessRuleFilter(r, config.Registration.JobRoleField,
            config.Registration.PracticeTypeFields.ThisYear) : null;
        var exportColumns = RecommendationExports.VisitorColumns(config);
        var reasons = knowledge.Reasons(sameVisitors);
        ScoredVisitor Kept(VisitorNode visitor, string strategy, List<string> notes, int[] ids, double[] scores, bool truncated)
        {
            // Only the kept candidates get a reason: the fan-in never looks deeper.
            var (codes, arguments) = reasons.Find(visitor, strategy, ids, ids.Length);
            var exportValues = new string[exportColumns.Count];
            for (var c = 0; c < exportValues.Length; c++) exportValues[c] = visitor.Properties.GetValueOrDefault(exportColumns[c]) ?? "";
            return new ScoredVisitor(visitor.BadgeId, exportValues, strategy, notes, truncated, ids, scores, codes, arguments);
        }
        ScoredVisitor Ruled(VisitorScoring scoring)
        {
            var visitor = scoring.Candidates;
            var notes = new List<string>();
            var ranked = rules is null ? visitor.Ranked : rules.Apply(visitor, sessions, notes);
            var kept = Math.Min(ranked.Count, context.CandidateDepth);
            var ids = new int[kept];
            var scores = new double[kept];
            for (var i = 0; i < kept; i++) (ids[i], scores[i]) = (sessionIndex[ranked[i].SessionId], ranked[i].Score);
            return Kept(new VisitorNode(visitor.BadgeId, visitor.Properties), scoring.Strategy, notes, ids, scores, ranked.Count > kept);
        }

        if (knowledge.Learned is { } learned)
        {
            var scorings = new LearnedRankingScorer(config, learned.Knowledge, sameVisitors, learned.Sessions, learned.Model)
                .ScoreAll(visitors, cancellationToken);
            return InParallel(scorings, Ruled, cancellationToken);
        }

        var scorer = knowledge.Heuristic(sameVisitors);
        var contextIndex = scorer.SessionIds.Select(id => sessionIndex[id]).ToArray();
        var combinations = scorer.SessionIds.Select(id => rules?.CombinationOf(sessions[id]) ?? 0).ToArray();
        // Visitors are independent: a shard uses every core of its instance, in the visitors' order. Only each visitor's first
        // candidates after the rules are ordered and kept: a shard never builds a visitor's whole ranked list.
        return InParallel(visitors, visitor =>
        {
            var notes = new List<string>();
            var top = scorer.Top(visitor, rules, combinations, context.CandidateDepth, notes);
            var ids = Array.ConvertAll(top.Sessions, i => contextIndex[i]);
            return Kept(visitor, top.Strategy, notes, ids, top.Scores, top.Passing > ids.Length);
        }, cancellationToken);
    }

    /// <summary>
    /// Maps the items on every core, keeping their order; an exception is thrown as itself (a bad input stays one).
    /// Parallel.For, not PLINQ: its calling thread works too, so shards scored side by side on the thread pool cannot starve it.
    /// </summary>
    private static List<TResult> InParallel<TItem, TResult>(IReadOnlyList<TItem> items, Func<TItem, TResult> map,
        CancellationToken cancellationToken)
    {
        var results = new TResult[items.Count];
        try
        {
            // One worker per core: more would only queue CPU-bound work on threads the host's requests need (pa serve's API).
            var options = new ParallelOptions { CancellationToken = cancellationToken, MaxDegreeOfParallelism = Environment.ProcessorCount };
            Parallel.For(0, items.Count, options, i => results[i] = map(items[i]));
        }
        catch (AggregateException e)
        {
            ExceptionDispatchInfo.Capture(e.Flatten().InnerExceptions[0]).Throw();
            throw;
        }
        return [.. results];
    }

    /// <param name="earlierPhases">Durations of the plan and the shards, when they ran in this process.</param>
    public async Task<RecommendationResult> FinishAsync(RecommendationRequest request, int shards, string contextSha256, DateTimeOffset startedAt,
        IReadOnlyDictionary<string, long>? earlierPhases, CancellationToken cancellationToken)
    {
        var config = request.Config;
        var (environment, incremental) = Resolve(request);
        var folder = RunFolders.StepFolder(config.Event.Name, request.RunId, RecommendationStep.StepName);
        var parts = Parts(request);
        var phases = new SortedDictionary<string, long>(StringComparer.Ordinal);
        foreach (var (name, ms) in earlierPhases ?? new Dictionary<string, long>()) phases[name] = ms;
        var total = Stopwatch.StartNew();
        var phase = Stopwatch.StartNew();
        void EndPhase(string name) { phases[name] = phase.ElapsedMilliseconds; phase.Restart(); }

        var context = await ReadContextAsync(request, contextSha256, cancellationToken);
        var sessions = context.Sessions.ToDictionary(s => s.SessionId, StringComparer.Ordinal);
        var sessionIds = context.Sessions.Select(s => s.SessionId).ToArray();
        var columns = RecommendationExports.VisitorColumns(config);
        var shardKeys = new string[shards];
        var names = new string[shards];
        for (var shard = 0; shard < shards; shard++)
        {
            var path = CandidatesPath(parts, shard);
            names[shard] = request.Store.GetUri(path).ToString();
            if (!await request.Store.ExistsAsync(path, cancellationToken))
                throw new PipelineInputException(names[shard], $"is missing: shard {shard + 1} of {shards} has not been scored");
        }
        // Decoding a shard is CPU-bound: shards are read side by side, one per core, and merged in shard order below.
        var read = new List<ScoredVisitor>[shards];
        var nextShard = -1;
        await Task.WhenAll(Enumerable.Range(0, Math.Min(shards, Environment.ProcessorCount)).Select(_ => Task.Run(async () =>
        {
            for (int shard; (shard = Interlocked.Increment(ref nextShard)) < shards;)
            {
                await using var stream = await request.Store.OpenReadAsync(CandidatesPath(parts, shard), cancellationToken);
                var visitors = new List<ScoredVisitor>();
                shardKeys[shard] = ShardCandidatesFile.Read(stream, names[shard], sessionIds.Length, columns.Count, visitors.Add);
                read[shard] = visitors;
            }
        }, cancellationToken)));

        // One dictionary from badge id to the visitor's position, and what the fan-in needs of each visitor by position; the
        // candidates' scores go with the candidates after assembly.
        var visitorCount = read.Sum(r => r.Count);
        var positions = new Dictionary<string, int>(visitorCount, StringComparer.Ordinal);
        var scoredVisitors = new ScoredVisitor[visitorCount];
        var candidates = new List<IndexedCandidates>(visitorCount);
        var notes = new Dictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal);
        var truncated = new HashSet<string>(StringComparer.Ordinal);
        for (var shard = 0; shard < shards; shard++)
        {
            foreach (var visitor in read[shard])
            {
                if (!positions.TryAdd(visitor.BadgeId, candidates.Count))
                    throw new PipelineInputException(names[shard], $"holds visitor {visitor.BadgeId}, who is also in another shard");
                // Kept without its scores: only the assembler reads them.
                scoredVisitors[candidates.Count] = visitor with { Scores = [] };
                candidates.Add(new IndexedCandidates(visitor.BadgeId, visitor.Sessions, visitor.Scores));
                if (visitor.Notes.Count > 0) notes[visitor.BadgeId] = visitor.Notes;
                if (visitor.Truncated) truncated.Add(visitor.BadgeId);
            }
            read[shard] = null!;
        }
        ScoredVisitor Scored(string badgeId) => scoredVisitors[positions[badgeId]];
        EndPhase("read_candidates");

        var assembled = new AgendaAssembler(config.Recommendation, context.TheatreCapacity).Assemble(candidates, context.Sessions, notes);
        var exhaustedCut = assembled.Agendas.Where((a, i) => assembled.Exhausted[i] && truncated.Contains(a.BadgeId)).Count();
        candidates.Clear();
        EndPhase("assemble");
        var withItems = assembled.Agendas.Where(a => a.Items.Count > 0).ToList();
        var control = new ControlGroupSelector(config.Recommendation.ControlGroup).Select(withItems.Select(a => a.BadgeId));
        // The write-back needs only the agendas and the control group: it starts now, while the exports' agendas are made.
        var writeBack = Task.Run(async () =>
        {
            var watch = Stopwatch.StartNew();
            var links = new List<RecommendationLink>(withItems.Sum(a => a.Items.Count));
            foreach (var agenda in withItems)
                foreach (var item in agenda.Items) links.Add(new RecommendationLink(agenda.BadgeId, item.SessionId, item.Score));
            var identity = new GraphIdentity(config.Event.Name, config.Event.MainEventName, config.Event.SecondaryEventName, environment);
            await using (var graph = await request.Graphs.OpenAsync(identity, cancellationToken))
                await graph.StoreRecommendationsAsync(positions.Keys.ToList(), links, control, time.GetUtcNow(), cancellationToken);
            return watch.ElapsedMilliseconds;
        }, cancellationToken);
        ArtifactPath[] paths = [];
        var published = false;
        try
        {
            var sessionIndex = sessionIds.Select((id, i) => (id, i)).ToDictionary(p => p.id, p => p.i, StringComparer.Ordinal);
            var reasonText = new RecommendationReasonText(config, context.PastEmbeddings.Select(e => e.SessionId).ToList(), context.PastSessionTitles,
                columns);
            // Only the recommended sessions' codes and arguments, found in the visitor's (short) candidate list; the text is rendered
            // as the exports are written.
            IReadOnlyList<string> Reasons(Agenda agenda)
            {
                var scored = Scored(agenda.BadgeId);
                var codes = new RecommendationReasonCode[agenda.Items.Count];
                var arguments = new int[agenda.Items.Count];
                var recommended = new RecommendableSession[agenda.Items.Count];
                for (var i = 0; i < codes.Length; i++)
                {
                    var at = Array.IndexOf(scored.Sessions, sessionIndex[agenda.Items[i].SessionId]);
                    if (at >= 0) (codes[i], arguments[i]) = ((RecommendationReasonCode)scored.ReasonCodes[at], scored.ReasonArguments[at]);
                    recommended[i] = sessions[agenda.Items[i].SessionId];
                }
                return new AgendaReasons(reasonText, codes, arguments, recommended, scored.ExportValues);
            }
            var columnPositions = ColumnarProperties.Positions(columns);
            ExportedAgenda Exported(Agenda agenda)
            {
                var scored = Scored(agenda.BadgeId);
                return new ExportedAgenda(agenda, new ColumnarProperties(columns, columnPositions, scored.ExportValues), scored.Strategy,
                    Reasons(agenda));
            }
            var exported = withItems.Select(Exported).ToList();
            var treatment = exported.Where(a => !control.Contains(a.Agenda.BadgeId)).ToList();
            var controlGroup = exported.Where(a => control.Contains(a.Agenda.BadgeId)).ToList();
            var theatreStats = assembled.Statistics.Theatres.ToDictionary(t => $"{t.Theatre}:assignments", t => (long)t.Assignments);
            var counts = new SortedDictionary<string, long>(StringComparer.Ordinal)
            {
                [RecommendationCounts.VisitorsProcessed] = visitorCount,
                ["visitors_with_recommendations"] = withItems.Count,
                [RecommendationCounts.VisitorsWithoutRecommendations] = visitorCount - withItems.Count,
                ["control_group"] = control.Count,
                [RecommendationCounts.Recommendations] = withItems.Sum(a => (long)a.Items.Count),
                ["unique_sessions"] = withItems.SelectMany(a => a.Items).Select(i => i.SessionId).Distinct(StringComparer.Ordinal).Count(),
                ["sessions_recommendable"] = sessions.Count,
                [RecommendationCounts.CapacityRefusals] = assembled.Statistics.CapacityRefusals,
                [RecommendationCounts.BackfilledVisitors] = assembled.Statistics.BackfilledVisitors,
                ["visitors_with_rule_notes"] = notes.Count,
            };
            var strategyCounts = new SortedDictionary<string, long>(
                scoredVisitors.Select(v => v.Strategy).GroupBy(s => s).ToDictionary(g => g.Key, g => (long)g.Count()), StringComparer.Ordinal);
            var withoutItems = assembled.Agendas.Where(a => a.Items.Count == 0).Select(a => Scored(a.BadgeId).Strategy);
            var strategiesWithout = new SortedDictionary<string, long>(withoutItems.GroupBy(s => s).ToDictionary(g => g.Key, g => (long)g.Count()),
                StringComparer.Ordinal);

            var rendering = new (string Name, Action<Stream> Render, long Rows)[]
            {
                (RecommendationStep.RecommendationsJson, s => RecommendationExports.WriteJson(s, config, treatment, sessions, theatreStats, counts),
                    treatment.Count),
                (RecommendationStep.RecommendationsCsv, s => RecommendationExports.WriteCsv(s, config, treatment, sessions),
                    treatment.Sum(a => (long)a.Agenda.Items.Count)),
                (RecommendationStep.ControlJson, s => RecommendationExports.WriteJson(s, config, controlGroup, sessions, theatreStats, counts),
                    controlGroup.Count),
                (RecommendationStep.ControlCsv, s => RecommendationExports.WriteCsv(s, config, controlGroup, sessions),
                    controlGroup.Sum(a => (long)a.Agenda.Items.Count)),
            };
            paths = rendering.Select(r => folder.Combine(r.Name.Split('/'))).ToArray();
            // The exports render straight into the store (each hundreds of megabytes at a large show: no temporary copy to write,
            // read back and hash again) while the graph is written back: both are long at a large show, and independent.
            // WhenAll waits for every one of them even when one fails. Nothing is published until the manifest: if the
            // write-back fails, the exports already stored are withdrawn below, so none promises recommendations the graph
            // does not hold.
            // Each on a thread of its own: a file store renders straight into the file on the calling thread.
            var exports = rendering.Select((r, i) => Task.Run(() => request.Store.PutRenderedAsync(paths[i], (stream, _) => r.Render(stream),
                cancellationToken), CancellationToken.None)).ToArray();
            await Task.WhenAll([.. exports, writeBack]);
            EndPhase("export_and_write_back");
            phases["graph_write_back"] = writeBack.Result;

            var stored = exports.Select(e => e.Result).ToArray();
            var outputs = rendering.Select((r, i) => new ManifestOutput(r.Name, stored[i].Uri, stored[i].Sha256, stored[i].Length, r.Rows)).ToList();
            EndPhase("publish");
            var sharding = new RecommendationSharding(shards, config.Recommendation.ShardSize, context.CandidateDepth, truncated.Count, exhaustedCut,
                assembled.DeepestRead);
            var metadata = new RecommendationMetadata(RecommendationStep.StepName, config.Event.Name, request.RunId, environment, incremental,
                context.RankerVersion is null ? RankingMethods.ReferenceHeuristic : $"{RankingMethods.LearnedRanker}:{context.RankerVersion}",
                context.RankerNote, startedAt, time.GetUtcNow(), (long)(time.GetUtcNow() - startedAt).TotalMilliseconds, counts, strategyCounts,
                assembled.Statistics, phases, sharding, strategiesWithout);
            var metadataArtifact = await request.Store.PutAsync(folder.Combine(RecommendationStep.MetadataName),
                new MemoryStream(PipelineJson.Serialize(metadata)), cancellationToken);
            outputs.Add(new ManifestOutput(RecommendationStep.MetadataName, metadataArtifact.Uri, metadataArtifact.Sha256, metadataArtifact.Length,
                null));
            var inputs = new List<ManifestInput> { Consumed(context.Theatres) };
            if (context.Model is { } model)
            {
                // The model is an input like any other: the manifest says which one ranked, with its hash.
                inputs.Add(Consumed(context.JobRoleStreams!));
                inputs.Add(Consumed(context.SpecialisationStreams!));
                inputs.Add(model);
            }
            var manifest = new ArtifactManifest(RecommendationStep.StepName, config.Event.Name, request.RunId, time.GetUtcNow(), inputs, outputs);
            var manifestPath = folder.Combine(ArtifactManifest.FileName);
            await request.Store.PutAsync(manifestPath, new MemoryStream(PipelineJson.Serialize(manifest)), cancellationToken);
            published = true;
            logger.LogInformation("Recommended for {Visitors} of {Processed} visitors in {Shards} shards", withItems.Count, visitorCount, shards);
            await RetainShardCacheAsync(request, environment, shardKeys, cancellationToken);
            if (exhaustedCut > 0)
                logger.LogWarning("{Visitors} visitors ran out of their first {Depth} candidates before their agenda was full", exhaustedCut,
                    context.CandidateDepth);
            return new RecommendationResult(request.Store.GetUri(manifestPath), manifest, metadata);
        }
        catch when (!published)
        {
            // The write-back runs on; it is waited for (whatever its outcome) so that nothing of this run writes after it failed.
            await Task.WhenAny(writeBack);
            _ = writeBack.Exception;
            // Whatever was stored of this run's exports goes: without its manifest it was never published, and left behind
            // it would be mistaken for a result. A later run writes its own.
            foreach (var path in paths) await request.Store.DeleteAsync(path, CancellationToken.None);
            throw;
        }
    }

    /// <summary>After publishing: keep the cached shards of this run and the one before; a failure here never fails the run.</summary>
    private async Task RetainShardCacheAsync(RecommendationRequest request, string environment, IReadOnlyCollection<string> keys,
        CancellationToken cancellationToken)
    {
        try
        {
            var deleted = await new ShardCache(request.Store, request.Config.Event.Name).RetainAsync(environment, keys, cancellationToken);
            if (deleted > 0) logger.LogInformation("Deleted {Deleted} cached shards no recent run uses", deleted);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // Whatever the store says (blob or file), the run's outputs are published: only the pruning waits for the next run.
            logger.LogWarning("The shard cache was not pruned: {Error}", e.Message);
        }
    }

    private static (string Environment, bool Incremental) Resolve(RecommendationRequest request) =>
        (request.Environment ?? request.Config.Graph.Environment, request.Incremental ?? request.Config.Graph.CreateOnlyNew);

    private static ArtifactPath Parts(RecommendationRequest request) =>
        PartArtifacts.PathOf(request.Config.Event.Name, request.RunId, RecommendationStep.StepName);

    private static ArtifactPath ShardPath(ArtifactPath parts, int shard) => parts.Combine("shards", $"{shard:D5}.bin");

    private static ArtifactPath CandidatesPath(ArtifactPath parts, int shard) => parts.Combine("candidates", $"{shard:D5}.bin");

    private static ManifestInput Consumed(ManifestOutput output) => new(output.Name, output.Uri, output.Sha256, output.Bytes);

    private static async Task<ScoringContext> ReadContextAsync(RecommendationRequest request, string sha256, CancellationToken cancellationToken)
    {
        var path = Parts(request).Combine(ContextFile);
        var uri = request.Store.GetUri(path);
        try
        {
            return await ArtifactReader.ReadJsonAsync<ScoringContext>(request.Store, new ManifestOutput(ContextFile, uri, sha256, 0, null),
                cancellationToken);
        }
        catch (JsonException e)
        {
            throw new PipelineInputException(uri.ToString(), $"is not a valid scoring context: {e.Message}");
        }
    }

    private static async Task<LearnedRanker> LoadModelAsync(IArtifactStore store, ManifestInput model, CancellationToken cancellationToken)
    {
        if (!store.TryGetPath(model.Uri, out var path) || !await store.ExistsAsync(path, cancellationToken))
            throw new PipelineInputException(model.Uri.ToString(), "the ranking model the plan chose is missing");
        var bytes = await ArtifactReader.ReadAllBytesAsync(store, path, cancellationToken);
        if (Convert.ToHexStringLower(SHA256.HashData(bytes)) != model.Sha256)
            throw new PipelineInputException(model.Uri.ToString(), "the ranking model changed after step 4's plan chose it");
        return LearnedRanker.Load(new MemoryStream(bytes));
    }


    private static string Sha256(string text) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)));

    /// <summary>The event's current model when learned models are enabled and it fits this graph; else why not.</summary>
    private async Task<(RegisteredRanker? Model, string? Note)> LearnedRankerAsync(EventConfig config, IArtifactStore store,
        IReadOnlyList<SessionEmbedding> thisYear, IReadOnlyList<SessionEmbedding> past, CancellationToken cancellationToken)
    {
        if (!config.Recommendation.Ranking.UseLearnedModel) return (null, null);
        var registry = new RankingModelRegistry(store, config.Event.Name);
        var current = await registry.LoadCurrentAsync(cancellationToken);
        string? note = null;
        if (current is null) note = $"no ranking model is registered for {config.Event.Name} (pa train trains one)";
        else if (current.Info.FeatureSchema != RankingFeatures.SchemaVersion)
            note = $"model {current.Info.Version} was trained on features {current.Info.FeatureSchema}, " +
                $"this code computes {RankingFeatures.SchemaVersion}";
        else if (thisYear.Select(e => e.Model).Concat(past.Select(e => e.Model)).FirstOrDefault(m => m != current.Info.EmbeddingModel) is { } other)
            note = $"model {current.Info.Version} was trained on embeddings of {current.Info.EmbeddingModel}, the graph holds {other}";
        if (note is null) return (current, null);
        logger.LogWarning("Using the reference heuristic: {Reason}", note);
        return (null, note);
    }

    /// <summary>This year's sessions that have an embedding and a parseable date and time, in the graph's order.</summary>
    private static List<RecommendableSession> Recommendable(IReadOnlyList<SessionNode> sessions, IReadOnlyList<SessionEmbedding> embeddings)
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
        return [.. result.Values];
    }
}
