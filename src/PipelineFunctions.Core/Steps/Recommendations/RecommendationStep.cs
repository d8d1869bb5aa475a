using System.Diagnostics;
using Microsoft.Extensions.Logging;
using PipelineFunctions.Core.Graph;
using PipelineFunctions.Core.Steps.Recommendations.Sharding;

namespace PipelineFunctions.Core.Steps.Recommendations;

/// <summary>
/// Step 4: rank every this-year session for each visitor (the event's current learned model when one is registered
/// and fits the graph's embeddings, else the reference heuristic), apply the business rules,
/// build all agendas at once (cap, time clashes, theatre capacity with backfill), set the control group aside,
/// export JSON and CSV, and write IS_RECOMMENDED back to the graph. Everything the step reads from the graph is read
/// in bulk, once; everything it decides is deterministic, so the same graph and config give the same exports.
/// It runs the same plan, shards and fan-in (<see cref="RecommendationShards"/>) as the orchestration's activities,
/// in this process.
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
        using var scope = logger.BeginScope(new Dictionary<string, object>
        {
            ["event"] = request.Config.Event.Name, ["runId"] = request.RunId, ["step"] = StepName
        });
        var startedAt = time.GetUtcNow();
        var phases = new Dictionary<string, long>(StringComparer.Ordinal);
        var phase = Stopwatch.StartNew();
        var shards = new RecommendationShards(logger, time);
        var plan = await shards.PlanAsync(request, cancellationToken);
        phases["plan"] = phase.ElapsedMilliseconds;
        phase.Restart();
        // The same shards the orchestration fans out, here side by side in this process.
        var reused = 0;
        await Parallel.ForEachAsync(Enumerable.Range(0, plan.Shards),
            new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount, CancellationToken = cancellationToken },
            async (shard, token) =>
            {
                if ((await shards.ScoreAsync(request, shard, plan.ContextSha256, token)).Reused) Interlocked.Increment(ref reused);
            });
        phases["score"] = phase.ElapsedMilliseconds;
        var result = await shards.FinishAsync(request, plan.Shards, plan.ContextSha256, startedAt, phases, cancellationToken);
        return result with { ShardsReused = reused };
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
}
