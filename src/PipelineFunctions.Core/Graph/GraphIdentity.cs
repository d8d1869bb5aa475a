namespace PipelineFunctions.Core.Graph;

/// <param name="Show">The event name, carried by every node as `show`.</param>
/// <param name="MainEventName">Suffix of Visitor_last_year_&lt;main&gt;.</param>
/// <param name="SecondaryEventName">Suffix of Visitor_last_year_&lt;secondary&gt;.</param>
/// <param name="Environment">dev, test or prod.</param>
public sealed record GraphIdentity(string Show, string MainEventName, string SecondaryEventName, string Environment)
{
    /// <summary>Refuses an identity no adapter can open a graph for, naming the event config field at fault.</summary>
    /// <exception cref="PipelineInputException">A name is empty, or both past shows have the same name.</exception>
    public void EnsureUsable()
    {
        RequireName(Show, "event.name");
        RequireName(MainEventName, "event.main_event_name");
        RequireName(SecondaryEventName, "event.secondary_event_name");
        // Equal names would give both past-visitor kinds one label and merge two shows' visitors.
        if (string.Equals(MainEventName, SecondaryEventName, StringComparison.Ordinal))
            throw new PipelineInputException("graph identity", "must differ from event.main_event_name (they name separate visitor labels)",
                field: "event.secondary_event_name");
    }

    private static void RequireName(string? value, string field)
    {
        if (string.IsNullOrWhiteSpace(value))
            throw new PipelineInputException("graph identity", "must not be empty (it names the graph's show or labels)", field: field);
    }
}
