using Microsoft.Extensions.Configuration;

namespace PipelineFunctions.Infrastructure.Embeddings;

/// <summary>
/// Azure OpenAI settings as a host binds them from configuration, under the usual environment variables' names (the
/// Azure host reads the same values from Key Vault as azure-endpoint, azure-deployment, azure-api-key,
/// azure-api-version). Checked by <see cref="AzureOpenAIEmbeddingOptionsValidator"/>; without an API key the client
/// signs in with DefaultAzureCredential.
/// </summary>
public sealed class AzureOpenAIEmbeddingOptions
{
    public const string EndpointVariable = "AZURE_OPENAI_ENDPOINT", DeploymentVariable = "AZURE_OPENAI_DEPLOYMENT",
        ApiKeyVariable = "AZURE_OPENAI_API_KEY", ApiVersionVariable = "AZURE_OPENAI_API_VERSION";

    [ConfigurationKeyName(EndpointVariable)]
    public string? Endpoint { get; set; }

    [ConfigurationKeyName(DeploymentVariable)]
    public string? Deployment { get; set; }

    [ConfigurationKeyName(ApiKeyVariable)]
    public string? ApiKey { get; set; }

    [ConfigurationKeyName(ApiVersionVariable)]
    public string? ApiVersion { get; set; }

    /// <summary>Neither endpoint nor deployment set: step 3's azure_openai generator is not configured.</summary>
    public bool IsEmpty => string.IsNullOrWhiteSpace(Endpoint) && string.IsNullOrWhiteSpace(Deployment);

    /// <summary>The settings, or null when neither endpoint nor deployment is set. Call on validated options only.</summary>
    public AzureOpenAIEmbeddingSettings? ToSettings() => IsEmpty ? null : new AzureOpenAIEmbeddingSettings
    {
        Endpoint = new Uri(Endpoint!.Trim(), UriKind.Absolute),
        Deployment = Deployment!,
        // Blank counts as unset, as it always has: no key means Entra ID, no version the SDK's default.
        ApiKey = string.IsNullOrEmpty(ApiKey) ? null : ApiKey,
        ApiVersion = string.IsNullOrEmpty(ApiVersion) ? null : ApiVersion,
    };
}
