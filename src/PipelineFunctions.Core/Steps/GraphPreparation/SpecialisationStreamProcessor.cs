using System.Diagnostics;
using PipelineFunctions.Core.Events;
using PipelineFunctions.Core.Graph;
using PipelineFunctions.Core.Inputs;
using Step1 = PipelineFunctions.Core.Steps.DataPreparation.DataPreparationOutputNames;

namespace PipelineFunctions.Core.Steps.GraphPreparation;

/// <summary>
/// Step 2: (Visitor_*)-[:specialization_to_stream]->(Stream): the visitor's specialisation answers split on ';',
/// mapped through the group's configured specialisation map (BVA's "Companion Animal" is "Small Animal"), then the YES matrix.
/// </summary>
internal sealed class SpecialisationStreamProcessor : IGraphProcessor
{
    public string Name => "specialisation_streams";

    public IReadOnlyList<string> Inputs { get; } =
        [Step1.SpecialisationStreams, Step1.VisitorsThisYear, Step1.VisitorsPastMain, Step1.VisitorsPastSecondary];

    public IReadOnlyCollection<string>? Columns(string input, EventConfig config) => input switch
    {
        Step1.VisitorsThisYear => VisitorColumns(config, VisitorKind.ThisYear),
        Step1.VisitorsPastMain => VisitorColumns(config, VisitorKind.PastMain),
        Step1.VisitorsPastSecondary => VisitorColumns(config, VisitorKind.PastSecondary),
        _ => null,
    };

    private static string[] VisitorColumns(EventConfig config, VisitorKind kind) =>
        Field(config, kind) is { } field ? ["BadgeId", field] : ["BadgeId"];

    public GraphProcessorWrite Prepare(GraphProcessorContext context, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var watch = Stopwatch.StartNew();
        var matrix = StreamMatrix.From(context.Inputs.SpecialisationStreams, "specialisation");
        var prepared = new List<(VisitorKind Kind, string Label, List<VisitorStreamLink> Links, long Unmapped)>();
        foreach (var kind in Enum.GetValues<VisitorKind>())
        {
            var field = Field(context.Config, kind);
            var table = context.Inputs.Visitors(kind);
            var label = GraphLabels.Visitor(kind, context.Identity.MainEventName, context.Identity.SecondaryEventName);
            if (field is null || !table.Header.Contains(field)) continue;

            var map = new Dictionary<string, string>(Map(context.Config, kind), StringComparer.OrdinalIgnoreCase);
            int badge = table.Column("BadgeId"), answers = table.Column(field);
            var links = new List<VisitorStreamLink>();
            long unmapped = 0;
            foreach (var row in table.Rows)
            {
                var streams = TextKeys.SplitList(row[answers])
                    .Select(answer => map.GetValueOrDefault(answer) ?? answer)
                    .SelectMany(matrix.StreamsOf)
                    .Distinct(StringComparer.OrdinalIgnoreCase).ToList();
                if (streams.Count == 0 && row[answers].Length > 0) unmapped++;
                links.AddRange(streams.Select(s => new VisitorStreamLink(row[badge], s)));
            }
            prepared.Add((kind, label, links, unmapped));
        }
        var prepareMs = watch.ElapsedMilliseconds;
        return async (graph, ct) =>
        {
            var write = Stopwatch.StartNew();
            var writes = new SortedDictionary<string, GraphWriteStats>(StringComparer.Ordinal);
            var counts = new SortedDictionary<string, long>(StringComparer.Ordinal);
            foreach (var (kind, label, links, unmapped) in prepared)
            {
                writes[$"{GraphLabels.SpecialisationToStream}:{label}"] =
                    await graph.LinkVisitorStreamsAsync(kind, VisitorStreamRelation.SpecialisationToStream, links, context.Mode, ct);
                counts[$"{GraphLabels.SpecialisationToStream}:{label}"] = links.Count;
                counts[$"visitors_with_unmapped_specialisation:{label}"] = unmapped;
            }
            return new GraphProcessorResult(Name, prepareMs + write.ElapsedMilliseconds, writes, counts);
        };
    }

    private static string? Field(EventConfig config, VisitorKind kind) => kind switch
    {
        VisitorKind.ThisYear => config.Registration.PracticeTypeFields.ThisYear,
        VisitorKind.PastMain => config.Registration.PracticeTypeFields.PastMain,
        _ => config.Registration.PracticeTypeFields.PastSecondary,
    };

    private static Dictionary<string, string> Map(EventConfig config, VisitorKind kind) => kind switch
    {
        VisitorKind.ThisYear => config.Streams.SpecialisationMaps.ThisYear,
        VisitorKind.PastMain => config.Streams.SpecialisationMaps.PastMain,
        _ => config.Streams.SpecialisationMaps.PastSecondary,
    };
}
