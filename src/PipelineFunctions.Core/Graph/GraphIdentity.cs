namespace PipelineFunctions.Core.Graph;

/// <param name="Show">The event name, carried by every node as `show`.</param>
/// <param name="MainEventName">Suffix of Visitor_last_year_&lt;main&gt;.</param>
/// <param name="SecondaryEventName">Suffix of Visitor_last_year_&lt;secondary&gt;.</param>
/// <param name="Environment">dev, test or prod.</param>
public sealed record GraphIdentity(string Show, string MainEventName, string SecondaryEventName, string Environment);
