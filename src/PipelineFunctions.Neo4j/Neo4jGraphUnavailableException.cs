namespace PipelineFunctions.Neo4j;

/// <summary>
/// The Neo4j graph of an environment could not be reached, or kept failing after the driver's retries: not the user's
/// configuration, so the activity may be retried. The message names the environment and the URI without credentials.
/// </summary>
public sealed class Neo4jGraphUnavailableException(string message, string environment, string displayUri, Exception? inner = null)
    : Exception(message, inner)
{
    /// <summary>The graph environment (dev, test, prod).</summary>
    public string Environment { get; } = environment;

    /// <summary>The server's URI without user info, query or fragment.</summary>
    public string DisplayUri { get; } = displayUri;
}
