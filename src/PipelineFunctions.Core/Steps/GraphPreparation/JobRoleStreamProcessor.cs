using System.Diagnostics;
using PipelineFunctions.Core.Events;
using PipelineFunctions.Core.Graph;
using PipelineFunctions.Core.Inputs;
using Step1 = PipelineFunctions.Core.Steps.DataPreparation.DataPreparationOutputNames;

namespace PipelineFunctions.Core.Steps.GraphPreparation;

/// <summary>Step 2: (Visitor_this_year)-[:job_to_stream]->(Stream) from the YES cells of the visitor's job role.</summary>
internal sealed class JobRoleStreamProcessor : IGraphProcessor
{
    public string Name => "job_role_streams";

    public IReadOnlyList<string> Inputs { get; } = [Step1.JobRoleStreams, Step1.VisitorsThisYear];

    public IReadOnlyCollection<string>? Columns(string input, EventConfig config) =>
        input == Step1.VisitorsThisYear ? ["BadgeId", config.Registration.JobRoleField] : null;

    public GraphProcessorWrite Prepare(GraphProcessorContext context, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var watch = Stopwatch.StartNew();
        var matrix = StreamMatrix.From(context.Inputs.JobRoleStreams, "job_role");
        var visitors = context.Inputs.VisitorsThisYear;
        var field = context.Config.Registration.JobRoleField;
        var links = new List<VisitorStreamLink>();
        long withoutRole = 0, unmappedRoles = 0;
        if (visitors.Header.Contains(field))
        {
            int badge = visitors.Column("BadgeId"), role = visitors.Column(field);
            foreach (var row in visitors.Rows)
            {
                var roles = TextKeys.SplitList(row[role]).ToList();
                if (roles.Count == 0) { withoutRole++; continue; }
                var streams = roles.SelectMany(matrix.StreamsOf).Distinct(StringComparer.OrdinalIgnoreCase).ToList();
                if (streams.Count == 0) unmappedRoles++;
                links.AddRange(streams.Select(s => new VisitorStreamLink(row[badge], s)));
            }
        }
        var prepareMs = watch.ElapsedMilliseconds;
        return async (graph, ct) =>
        {
            var write = Stopwatch.StartNew();
            var writes = new SortedDictionary<string, GraphWriteStats>(StringComparer.Ordinal)
            {
                [GraphLabels.JobToStream] = await graph.LinkVisitorStreamsAsync(VisitorKind.ThisYear, VisitorStreamRelation.JobToStream, links,
                    context.Mode, ct),
            };
            var counts = new SortedDictionary<string, long>(StringComparer.Ordinal)
            {
                [GraphLabels.JobToStream] = links.Count,
                ["visitors_without_job_role"] = withoutRole,
                ["visitors_with_unmapped_job_role"] = unmappedRoles,
            };
            return new GraphProcessorResult(Name, prepareMs + write.ElapsedMilliseconds, writes, counts);
        };
    }
}
