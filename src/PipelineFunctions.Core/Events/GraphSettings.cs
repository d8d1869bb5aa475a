namespace PipelineFunctions.Core.Events;

public sealed class GraphSettings
{
    /// <summary>dev, test or prod; a run may override it.</summary>
    public string Environment { get; init; } = "dev";
    /// <summary>Weekly runs add only new nodes and relationships (the reference's create_only_new).</summary>
    public bool CreateOnlyNew { get; init; }
}
