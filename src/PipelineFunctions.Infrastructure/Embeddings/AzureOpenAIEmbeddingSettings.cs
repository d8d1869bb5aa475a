using System.Globalization;

namespace PipelineFunctions.Infrastructure.Embeddings;

/// <summary>
/// Where and how <see cref="AzureOpenAISessionEmbedder"/> calls Azure OpenAI (Key Vault secrets azure-endpoint,
/// azure-deployment, azure-api-key, azure-api-version). <see cref="ToString"/> never shows the key.
/// </summary>
public sealed record AzureOpenAIEmbeddingSettings
{
    /// <summary>The most inputs Azure OpenAI accepts in one embeddings request.</summary>
    public const int ServiceMaxBatchSize = 2048;

    /// <summary>The resource endpoint, e.g. https://my-resource.openai.azure.com/.</summary>
    public required Uri Endpoint { get; init; }

    /// <summary>The embedding model deployment, e.g. text-embedding-3-small.</summary>
    public required string Deployment { get; init; }

    /// <summary>The resource key; null: Microsoft Entra ID through the given or a <c>DefaultAzureCredential</c>.</summary>
    public string? ApiKey { get; init; }

    /// <summary>The api-version query parameter, e.g. 2024-10-21; null: the SDK's default.</summary>
    public string? ApiVersion { get; init; }

    /// <summary>Vector length asked of the model (text-embedding-3 models shorten on request); null: the model's own.</summary>
    public int? Dimensions { get; init; }

    /// <summary>Most inputs sent in one request; larger inputs are split, in order.</summary>
    public int MaxBatchSize { get; init; } = 100;

    /// <summary>How long one request may take before it is abandoned and retried.</summary>
    public TimeSpan RequestTimeout { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>Attempts per request, the first included: 1 disables retries.</summary>
    public int MaxAttempts { get; init; } = 5;

    /// <summary>First back-off delay when the service gives no Retry-After; doubles per attempt, with jitter.</summary>
    public TimeSpan RetryBaseDelay { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>Cap of the back-off delay (jitter included).</summary>
    public TimeSpan MaxRetryDelay { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Cap on a service-given Retry-After wait, so one odd header cannot stall a run for hours.</summary>
    public TimeSpan MaxRetryAfter { get; init; } = TimeSpan.FromSeconds(60);

    /// <exception cref="ArgumentException">A setting is missing or out of range; the message names it.</exception>
    public void Validate()
    {
        if (Endpoint is null || !Endpoint.IsAbsoluteUri || (Endpoint.Scheme != Uri.UriSchemeHttps && Endpoint.Scheme != Uri.UriSchemeHttp))
            throw new ArgumentException("Azure OpenAI Endpoint must be an absolute http(s) URI, e.g. https://my-resource.openai.azure.com/.",
                nameof(Endpoint));
        if (string.IsNullOrWhiteSpace(Deployment))
            throw new ArgumentException("Azure OpenAI Deployment (the embedding model deployment name) is required.", nameof(Deployment));
        if (ApiKey is not null && string.IsNullOrWhiteSpace(ApiKey))
            throw new ArgumentException("Azure OpenAI ApiKey is blank: give the key or leave it unset to use Microsoft Entra ID.", nameof(ApiKey));
        if (ApiVersion is not null && string.IsNullOrWhiteSpace(ApiVersion))
            throw new ArgumentException("Azure OpenAI ApiVersion is blank: give one (e.g. 2024-10-21) or leave it unset.", nameof(ApiVersion));
        if (Dimensions is < 1)
            throw new ArgumentException($"Azure OpenAI Dimensions must be positive (got {Dimensions}).", nameof(Dimensions));
        if (MaxBatchSize is < 1 or > ServiceMaxBatchSize)
            throw new ArgumentException($"Azure OpenAI MaxBatchSize must be between 1 and {ServiceMaxBatchSize} (got {MaxBatchSize}).",
                nameof(MaxBatchSize));
        if (MaxAttempts < 1)
            throw new ArgumentException($"Azure OpenAI MaxAttempts must be at least 1 (got {MaxAttempts}).", nameof(MaxAttempts));
        RequirePositive(RequestTimeout, nameof(RequestTimeout));
        RequirePositive(RetryBaseDelay, nameof(RetryBaseDelay));
        RequirePositive(MaxRetryDelay, nameof(MaxRetryDelay));
        RequirePositive(MaxRetryAfter, nameof(MaxRetryAfter));
    }

    /// <summary>Every setting but the key, which shows only as set or not.</summary>
    public override string ToString() => string.Create(CultureInfo.InvariantCulture,
        $"AzureOpenAIEmbeddingSettings {{ Endpoint = {Endpoint}, Deployment = {Deployment}, " +
        $"ApiKey = {(ApiKey is null ? "(none: Entra ID)" : "(set)")}, " +
        $"ApiVersion = {ApiVersion ?? "(default)"}, Dimensions = {Dimensions?.ToString(CultureInfo.InvariantCulture) ?? "(model's)"}, " +
        $"MaxBatchSize = {MaxBatchSize}, " +
        $"RequestTimeout = {RequestTimeout}, MaxAttempts = {MaxAttempts}, RetryBaseDelay = {RetryBaseDelay}, " +
        $"MaxRetryDelay = {MaxRetryDelay}, MaxRetryAfter = {MaxRetryAfter} }}");

    private static void RequirePositive(TimeSpan value, string name)
    {
        if (value <= TimeSpan.Zero)
            throw new ArgumentException($"Azure OpenAI {name} must be positive (got {value}).", name);
    }
}
