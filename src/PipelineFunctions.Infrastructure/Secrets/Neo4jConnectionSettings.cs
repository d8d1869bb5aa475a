namespace PipelineFunctions.Infrastructure.Secrets;

/// <summary>
/// Where and as whom the Neo4j graph of one environment is reached. <see cref="ToString"/> never shows the password
/// (nor credentials written into the URI).
/// </summary>
/// <param name="Uri">neo4j://, neo4j+s://, neo4j+ssc://, bolt://, bolt+s:// or bolt+ssc://.</param>
/// <param name="Environment">The graph environment (dev, test, prod) these settings were resolved for.</param>
/// <param name="UriSecret">Which secret the URI came from (neo4j-uri-prod or neo4j-uri), for diagnostics.</param>
public sealed record Neo4jConnectionSettings(Uri Uri, string Username, string Password, string Environment, string UriSecret)
{
    public static readonly IReadOnlyList<string> Schemes = ["neo4j", "neo4j+s", "neo4j+ssc", "bolt", "bolt+s", "bolt+ssc"];

    /// <summary>The URI without user info, query or fragment: safe to log.</summary>
    public string DisplayUri => $"{Uri.Scheme}://{Uri.Host}{(Uri.IsDefaultPort || Uri.Port < 0 ? "" : ":" + Uri.Port)}";

    public override string ToString() =>
        $"Neo4jConnectionSettings {{ Environment = {Environment}, Uri = {DisplayUri}, " +
        $"UriSecret = {UriSecret}, Username = {Username}, Password = (set) }}";
}
