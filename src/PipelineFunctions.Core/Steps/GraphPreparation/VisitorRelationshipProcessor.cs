using System.Diagnostics;
using PipelineFunctions.Core.Artifacts;
using PipelineFunctions.Core.Events;
using PipelineFunctions.Core.Graph;
using PipelineFunctions.Core.Steps.DataPreparation;
using Step1 = PipelineFunctions.Core.Steps.DataPreparation.DataPreparationOutputNames;

namespace PipelineFunctions.Core.Steps.GraphPreparation;

/// <summary>
/// Step 2: (Visitor_this_year)-[:Same_Visitor {type}]->(Visitor_last_year_X) from BadgeId_last_year_X, and
/// (Visitor_last_year_X)-[:attended_session]->(Sessions_past_year) from step 1's matched scans.
/// </summary>
internal sealed class VisitorRelationshipProcessor : IGraphProcessor
{
    public string Name => "visitor_relationships";

    public IReadOnlyList<string> Inputs { get; } = [Step1.VisitorsThisYear, Step1.ScansPastMain, Step1.ScansPastSecondary];

    public IReadOnlyCollection<string>? Columns(string input, EventConfig config) => input == Step1.VisitorsThisYear
        ? ["BadgeId", DataPreparationOutputs.PastBadgeColumn(config.Event.MainEventName),
            DataPreparationOutputs.PastBadgeColumn(config.Event.SecondaryEventName)]
        : null;

    public GraphProcessorWrite Prepare(GraphProcessorContext context, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var watch = Stopwatch.StartNew();
        var identity = context.Identity;
        var visitors = context.Inputs.VisitorsThisYear;
        var badge = visitors.Column("BadgeId");
        var links = new List<SameVisitorLink>();
        foreach (var (kind, show) in new[] { (VisitorKind.PastMain, identity.MainEventName),
            (VisitorKind.PastSecondary, identity.SecondaryEventName) })
        {
            var column = visitors.Column(DataPreparationOutputs.PastBadgeColumn(show));
            links.AddRange(visitors.Rows.Where(r => r[column].Length > 0).Select(r => new SameVisitorLink(r[badge], kind, r[column], show)));
        }
        var scans = new[] { (Kind: VisitorKind.PastMain, Table: context.Inputs.ScansPastMain),
            (Kind: VisitorKind.PastSecondary, Table: context.Inputs.ScansPastSecondary) };
        var attendance = scans.Select(s => (s.Kind, Label: GraphLabels.Visitor(s.Kind, identity.MainEventName, identity.SecondaryEventName),
            Links: Attendance(s.Table))).ToList();
        var prepareMs = watch.ElapsedMilliseconds;
        return async (graph, ct) =>
        {
            var write = Stopwatch.StartNew();
            var writes = new SortedDictionary<string, GraphWriteStats>(StringComparer.Ordinal)
            {
                [GraphLabels.SameVisitor] = await graph.LinkSameVisitorsAsync(links, context.Mode, ct),
            };
            var counts = new SortedDictionary<string, long>(StringComparer.Ordinal) { [GraphLabels.SameVisitor] = links.Count };
            foreach (var (kind, label, attended) in attendance)
            {
                writes[$"{GraphLabels.AttendedSession}:{label}"] = await graph.LinkAttendedSessionsAsync(kind, attended, context.Mode, ct);
                counts[$"{GraphLabels.AttendedSession}:{label}"] = attended.Count;
            }
            return new GraphProcessorResult(Name, prepareMs + write.ElapsedMilliseconds, writes, counts);
        };
    }

    /// <summary>Attendance links from a step-1 scans table.</summary>
    public static List<AttendanceLink> Attendance(ArtifactTable scans)
    {
        int badge = scans.Column("BadgeId"), session = scans.Column("session_id"), date = scans.Column("scan_date"),
            file = scans.Column("file"), seminar = scans.Column("seminar_name");
        return scans.Rows.Select(r => new AttendanceLink(r[badge], r[session], r[date], r[file], r[seminar])).ToList();
    }
}
