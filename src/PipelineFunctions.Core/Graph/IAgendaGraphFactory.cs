namespace PipelineFunctions.Core.Graph;

/// <summary>Opens the graph of an event in a graph environment (dev, test or prod: one database each).</summary>
public interface IAgendaGraphFactory
{
    Task<IAgendaGraph> OpenAsync(GraphIdentity identity, CancellationToken cancellationToken = default);

    /// <summary>
    /// Why this factory can open no graph at all (say, its adapter is not built into the host), or null. A run that
    /// needs the graph checks it when it is planned, so it fails at its start rather than after step 1.
    /// </summary>
    string? UnavailableReason => null;
}
