using Azure.Core;
using Azure.Security.KeyVault.Secrets;
using PipelineFunctions.Core;
using PipelineFunctions.Core.Orchestration;
using PipelineFunctions.Infrastructure.Embeddings;

namespace PipelineFunctions.Infrastructure.Secrets;

/// <summary>
/// Resolves the reference system's secrets for a run's graph environment from its sources, in order (app settings,
/// then Key Vault): for each secret the per-environment name (<c>neo4j-uri-prod</c>) is looked up in every source
/// before the plain one (<c>neo4j-uri</c>). Results are kept for <see cref="CacheDuration"/>, so a rotated secret is
/// picked up within minutes while activities do not call Key Vault for every graph they open.
/// <para>
/// Secrets that are missing raise one <see cref="PipelineInputException"/> naming all of them (a configuration error:
/// retrying cannot help); a source that cannot be asked raises <see cref="SecretSourceException"/> (may be transient).
/// No message ever contains a secret value.
/// </para>
/// </summary>
public sealed class PipelineSecretResolver
{
    public static readonly TimeSpan DefaultCacheDuration = TimeSpan.FromMinutes(5);

    private readonly TimeProvider _time;
    private readonly Dictionary<string, (DateTimeOffset Expires, object? Value)> _cache = new(StringComparer.Ordinal);
    private readonly Lock _cacheLock = new();

    public PipelineSecretResolver(IReadOnlyList<ISecretSource> sources, TimeProvider? time = null, TimeSpan? cacheDuration = null)
    {
        ArgumentNullException.ThrowIfNull(sources);
        if (sources.Count == 0) throw new ArgumentException("at least one secret source is needed", nameof(sources));
        Sources = sources;
        _time = time ?? TimeProvider.System;
        CacheDuration = cacheDuration ?? DefaultCacheDuration;
    }

    /// <summary>
    /// App settings first (local development, and Key Vault references the platform resolved), then the vault itself
    /// when <paramref name="keyVaultUri"/> is given.
    /// </summary>
    public static PipelineSecretResolver Create(Uri? keyVaultUri, TokenCredential credential, Func<string, string?>? settings = null,
        SecretClientOptions? options = null, TimeProvider? time = null)
    {
        var sources = new List<ISecretSource> { new AppSettingsSecretSource(settings ?? Environment.GetEnvironmentVariable) };
        if (keyVaultUri is not null) sources.Add(new KeyVaultSecretSource(new SecretClient(keyVaultUri, credential, options)));
        return new PipelineSecretResolver(sources, time);
    }

    public IReadOnlyList<ISecretSource> Sources { get; }

    public TimeSpan CacheDuration { get; }

    /// <summary>The Neo4j and Azure OpenAI settings for a graph environment.</summary>
    public async Task<PipelineSecrets> ResolveAsync(string environment, CancellationToken cancellationToken = default) =>
        new(environment, await ResolveNeo4jAsync(environment, cancellationToken), await ResolveAzureOpenAIAsync(cancellationToken));

    /// <summary>neo4j-uri[-env], neo4j-username, neo4j-password[-env]: all required.</summary>
    /// <exception cref="PipelineInputException">The environment is not dev, test or prod; a secret is missing or the URI is not a Neo4j
    /// URI.</exception>
    public Task<Neo4jConnectionSettings> ResolveNeo4jAsync(string environment, CancellationToken cancellationToken = default)
    {
        if (environment is null || !RunRequestValidation.GraphEnvironments.Contains(environment, StringComparer.Ordinal))
            throw new PipelineInputException("graph environment",
                $"'{environment}' is not a graph environment ({string.Join(", ", RunRequestValidation.GraphEnvironments)})",
                field: "graphEnvironment");
        return CachedAsync($"neo4j:{environment}", async () =>
        {
            var found = await FindAllAsync([PipelineSecretNames.Neo4jUri, PipelineSecretNames.Neo4jUsername, PipelineSecretNames.Neo4jPassword],
                environment,
                required: true, $"the {environment} graph", cancellationToken);
            var (uriSecret, uriText) = found[PipelineSecretNames.Neo4jUri]!.Value;
            if (!Uri.TryCreate(uriText.Trim(), UriKind.Absolute, out var uri) || !Neo4jConnectionSettings.Schemes.Contains(uri.Scheme,
                StringComparer.Ordinal)
                || string.IsNullOrEmpty(uri.Host))
                throw new PipelineInputException(SourcesText,
                    $"is not a Neo4j URI ({string.Join("://, ", Neo4jConnectionSettings.Schemes)}://<host>[:port])",
                    field: uriSecret);
            return new Neo4jConnectionSettings(uri, found[PipelineSecretNames.Neo4jUsername]!.Value.Value.Trim(),
                found[PipelineSecretNames.Neo4jPassword]!.Value.Value,
                environment, uriSecret);
        });
    }

    /// <summary>
    /// azure-endpoint and azure-deployment (with the optional azure-api-key, azure-api-version); null when neither the
    /// endpoint nor the deployment is set. Without a key, the embedder signs in with Microsoft Entra ID.
    /// </summary>
    /// <exception cref="PipelineInputException">Only one of endpoint and deployment is set, or a value is malformed.</exception>
    public Task<AzureOpenAIEmbeddingSettings?> ResolveAzureOpenAIAsync(CancellationToken cancellationToken = default) =>
        CachedAsync<AzureOpenAIEmbeddingSettings?>("azure-openai", async () =>
        {
            var found = await FindAllAsync([PipelineSecretNames.AzureEndpoint, PipelineSecretNames.AzureDeployment, PipelineSecretNames.AzureApiKey,
                PipelineSecretNames.AzureApiVersion], null, required: false, "Azure OpenAI embeddings", cancellationToken);
            var endpoint = found[PipelineSecretNames.AzureEndpoint];
            var deployment = found[PipelineSecretNames.AzureDeployment];
            if (endpoint is null && deployment is null) return null;
            if (endpoint is null || deployment is null)
                throw Missing([endpoint is null ? PipelineSecretNames.AzureEndpoint : PipelineSecretNames.AzureDeployment], null,
                    "Azure OpenAI embeddings (endpoint and deployment go together)");
            if (!Uri.TryCreate(endpoint.Value.Value.Trim(), UriKind.Absolute, out var endpointUri))
                throw new PipelineInputException(SourcesText, "is not an absolute http(s) URI, e.g. https://my-resource.openai.azure.com/",
                    field: endpoint.Value.Name);
            var settings = new AzureOpenAIEmbeddingSettings
            {
                Endpoint = endpointUri,
                Deployment = deployment.Value.Value.Trim(),
                ApiKey = found[PipelineSecretNames.AzureApiKey]?.Value.Trim(),
                ApiVersion = found[PipelineSecretNames.AzureApiVersion]?.Value.Trim(),
            };
            try
            {
                settings.Validate();
            }
            catch (ArgumentException e)
            {
                // Validate's messages name the setting, never its value.
                throw new PipelineInputException(SourcesText, e.Message, field: "azure-*", inner: e);
            }
            return settings;
        });

    /// <summary>
    /// The run-notification webhook URL (notify-webhook-url: app setting NOTIFY_WEBHOOK_URL, then the vault), or null when
    /// none is set: notifications are optional. Its form is checked where it is used.
    /// </summary>
    public Task<string?> ResolveRunNotificationWebhookAsync(CancellationToken cancellationToken = default) =>
        CachedAsync("notify-webhook-url", async () => (await FindAsync(PipelineSecretNames.NotifyWebhookUrl, null, cancellationToken))?.Value);

    private string SourcesText => $"secrets ({string.Join(", ", Sources.Select(s => s.Description))})";

    /// <summary>Each name's first value (most specific candidate first, sources in order), or null.</summary>
    private async Task<Dictionary<string, (string Name, string Value)?>> FindAllAsync(IReadOnlyList<string> names, string? environment, bool required,
        string purpose,
        CancellationToken cancellationToken)
    {
        var found = new Dictionary<string, (string Name, string Value)?>(StringComparer.Ordinal);
        foreach (var name in names)
            found[name] = await FindAsync(name, environment, cancellationToken);
        if (required && names.Where(n => found[n] is null).ToList() is { Count: > 0 } missing)
            throw Missing(missing, environment, purpose);
        return found;
    }

    private async Task<(string Name, string Value)?> FindAsync(string name, string? environment, CancellationToken cancellationToken)
    {
        foreach (var candidate in PipelineSecretNames.Candidates(name, environment))
            foreach (var source in Sources)
                if (await source.TryGetAsync(candidate, cancellationToken) is { } value)
                    return (candidate, value);
        return null;
    }

    private PipelineInputException Missing(IReadOnlyList<string> names, string? environment, string purpose)
    {
        var described = names.Select(n => string.Join(" or ", PipelineSecretNames.Candidates(n, environment))).ToList();
        var settings = names.SelectMany(n => PipelineSecretNames.Candidates(n, environment)).Select(PipelineSecretNames.SettingName);
        var verb = names.Count == 1 ? "is" : "are";
        return new PipelineInputException(SourcesText,
            $"{string.Join("; ", described)} {verb} not set, and {purpose} needs {(names.Count == 1 ? "it" : "them")}" +
            $": add the secret{(names.Count == 1 ? "" : "s")} " +
            $"to the Key Vault, or set the app setting{(names.Count == 1 ? "" : "s")} {string.Join(", ", settings)}",
            field: string.Join(", ", names.Select(n => PipelineSecretNames.Candidates(n, environment)[0])));
    }

    private async Task<T> CachedAsync<T>(string key, Func<Task<T>> resolve)
    {
        var now = _time.GetUtcNow();
        lock (_cacheLock)
        {
            if (_cache.TryGetValue(key, out var entry) && entry.Expires > now) return (T)entry.Value!;
        }
        var value = await resolve();
        lock (_cacheLock)
        {
            _cache[key] = (now + CacheDuration, value);
        }
        return value;
    }
}
