using System.Text.Json;
using PipelineFunctions.Core.Artifacts;
using PipelineFunctions.Core.Graph;

namespace PipelineFunctions.Local.Tests.Support;

/// <summary>Everything steps 2 and 3 put in a show's graph, read back through the adapter, as one JSON document to compare.</summary>
public static class GraphDump
{
    public static async Task<string> ReadAsync(IAgendaGraph graph)
    {
        var dump = new Dictionary<string, object>
        {
            ["counts"] = await graph.CountAsync(),
            ["streams"] = await graph.ReadStreamsAsync(),
            ["same_visitor"] = await graph.ReadSameVisitorsAsync(),
        };
        foreach (var kind in Enum.GetValues<VisitorKind>())
        {
            dump[$"visitors:{kind}"] = await graph.ReadVisitorsAsync(kind);
            foreach (var relation in Enum.GetValues<VisitorStreamRelation>())
                dump[$"streams:{kind}:{relation}"] = await graph.ReadVisitorStreamsAsync(kind, relation);
            if (kind != VisitorKind.ThisYear) dump[$"attended:{kind}"] = await graph.ReadAttendedSessionsAsync(kind);
        }
        foreach (var year in Enum.GetValues<SessionYear>())
        {
            dump[$"sessions:{year}"] = await graph.ReadSessionsAsync(year);
            dump[$"embeddings:{year}"] = await graph.ReadEmbeddingsAsync(year);
        }
        return JsonSerializer.Serialize(dump, PipelineJson.Options);
    }
}
