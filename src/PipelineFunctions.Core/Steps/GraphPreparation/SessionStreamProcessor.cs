using System.Diagnostics;
using PipelineFunctions.Core.Artifacts;
using PipelineFunctions.Core.Graph;
using PipelineFunctions.Core.Inputs;
using Step1 = PipelineFunctions.Core.Steps.DataPreparation.DataPreparationOutputNames;

namespace PipelineFunctions.Core.Steps.GraphPreparation;

/// <summary>
/// Step 2: stream nodes from the catalogue, then this year's and past sessions with their HAS_STREAM links.
/// Both past shows' sessions share the Sessions_past_year label; a session id used by both keeps the main show's.
/// </summary>
internal sealed class SessionStreamProcessor : IGraphProcessor
{
    public string Name => "sessions_and_streams";

    public IReadOnlyList<string> Inputs { get; } = [Step1.Streams, Step1.SessionsThisYear, Step1.SessionsPastMain, Step1.SessionsPastSecondary];

    public GraphProcessorWrite Prepare(GraphProcessorContext context, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var watch = Stopwatch.StartNew();
        var inputs = context.Inputs;
        var streams = inputs.Streams.Select(s => new StreamNode(s.Key, s.Value)).ToList();
        var thisYear = Sessions([inputs.SessionsThisYear], out _);
        var past = Sessions([inputs.SessionsPastMain, inputs.SessionsPastSecondary], out var duplicates);
        var prepareMs = watch.ElapsedMilliseconds;
        return async (graph, ct) =>
        {
            var write = Stopwatch.StartNew();
            var writes = new SortedDictionary<string, GraphWriteStats>(StringComparer.Ordinal);
            var counts = new SortedDictionary<string, long>(StringComparer.Ordinal);
            writes[GraphLabels.Stream] = await graph.UpsertStreamsAsync(streams, context.Mode, ct);
            counts[GraphLabels.Stream] = streams.Count;
            writes[GraphLabels.SessionsThisYear] = await graph.UpsertSessionsAsync(SessionYear.ThisYear, thisYear, context.Mode, ct);
            counts[GraphLabels.SessionsThisYear] = thisYear.Count;
            writes[GraphLabels.SessionsPastYear] = await graph.UpsertSessionsAsync(SessionYear.Past, past, context.Mode, ct);
            counts[GraphLabels.SessionsPastYear] = past.Count;
            counts["past_session_ids_in_both_shows"] = duplicates;
            counts[GraphLabels.HasStream] = thisYear.Concat(past).Sum(s => (long)s.Streams.Count);
            return new GraphProcessorResult(Name, prepareMs + write.ElapsedMilliseconds, writes, counts);
        };
    }

    /// <summary>Session nodes from step-1 session tables; a session id seen in an earlier table is skipped and counted.</summary>
    public static List<SessionNode> Sessions(IEnumerable<ArtifactTable> tables, out long duplicates)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var sessions = new List<SessionNode>();
        duplicates = 0;
        foreach (var table in tables)
        {
            int id = table.Column("session_id"), stream = table.Column("stream");
            foreach (var row in table.Rows)
            {
                if (!seen.Add(row[id])) { duplicates++; continue; }
                sessions.Add(new SessionNode(row[id], TextKeys.SplitList(row[stream]).ToList(), table.Properties(row)));
            }
        }
        return sessions;
    }
}
