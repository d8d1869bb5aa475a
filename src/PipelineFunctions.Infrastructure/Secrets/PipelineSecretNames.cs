namespace PipelineFunctions.Infrastructure.Secrets;

/// <summary>
/// The secret names the reference system kept in Key Vault, and the app setting each one maps to. A per-environment
/// secret (<c>neo4j-uri-prod</c>) is preferred over the plain one (<c>neo4j-uri</c>) for a run on that graph environment.
/// </summary>
public static class PipelineSecretNames
{
    public const string Neo4jUri = "neo4j-uri", Neo4jUsername = "neo4j-username", Neo4jPassword = "neo4j-password";

    public const string AzureEndpoint = "azure-endpoint", AzureApiKey = "azure-api-key",
        AzureDeployment = "azure-deployment", AzureApiVersion = "azure-api-version";

    /// <summary>The Slack or Teams incoming-webhook URL runs are announced to (app setting NOTIFY_WEBHOOK_URL); optional.</summary>
    public const string NotifyWebhookUrl = "notify-webhook-url";

    /// <summary>Secrets that exist per graph environment as <c>&lt;name&gt;-&lt;environment&gt;</c>.</summary>
    public static readonly IReadOnlyList<string> PerEnvironment = [Neo4jUri, Neo4jPassword];

    /// <summary>The names looked up for a secret, most specific first: <c>neo4j-uri-prod</c>, then <c>neo4j-uri</c>.</summary>
    public static IReadOnlyList<string> Candidates(string name, string? environment) =>
        environment is not null && PerEnvironment.Contains(name) ? [$"{name}-{environment}", name] : [name];

    /// <summary>
    /// The app setting (environment variable) that may hold a secret instead of Key Vault: upper case with '_' for '-'
    /// (NEO4J_URI_PROD), since Linux app setting names cannot contain '-'. Such a setting may itself be a Key Vault reference.
    /// </summary>
    public static string SettingName(string secretName) => secretName.Replace('-', '_').ToUpperInvariant();
}
