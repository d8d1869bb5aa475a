using PipelineFunctions.Core;
using PipelineFunctions.Core.Graph;

namespace PipelineFunctions.Hosting;

/// <summary>
/// The graph of an app built without the Neo4j adapter (-p:Neo4jAdapter=false) whose settings still ask for Neo4j:
/// every run that needs the graph fails when it is planned, with this one message, instead of after step 1.
/// </summary>
internal sealed class MissingNeo4jAdapterGraphFactory : IAgendaGraphFactory
{
    public const string Reason = "this build of the app has no Neo4j adapter (it was built with -p:Neo4jAdapter=false): publish it with the " +
        "adapter (dotnet publish includes it by default), or set the app settings " + AzureHostOptions.GraphSetting + "=sqlite and " +
        AzureHostOptions.GraphFolderSetting + " for the embedded graph";

    public string? UnavailableReason => Reason;

    public Task<IAgendaGraph> OpenAsync(GraphIdentity identity, CancellationToken cancellationToken = default) =>
        throw new PipelineInputException("graph", Reason, field: "graph");
}
