using PipelineFunctions.Core;
using PipelineFunctions.Infrastructure.Embeddings;

namespace PipelineFunctions.Local.Commands;

/// <summary>
/// Azure OpenAI settings for the local host, from the usual environment variables (the Azure host reads the
/// same values from Key Vault as azure-endpoint, azure-deployment, azure-api-key, azure-api-version).
/// Without an API key the client signs in with DefaultAzureCredential.
/// </summary>
public static class AzureOpenAIEnvironment
{
    public const string Endpoint = "AZURE_OPENAI_ENDPOINT";
    public const string Deployment = "AZURE_OPENAI_DEPLOYMENT";
    public const string ApiKey = "AZURE_OPENAI_API_KEY";
    public const string ApiVersion = "AZURE_OPENAI_API_VERSION";

    /// <summary>The settings, or null when no endpoint and deployment are set.</summary>
    public static AzureOpenAIEmbeddingSettings? Read()
    {
        var endpoint = Environment.GetEnvironmentVariable(Endpoint);
        var deployment = Environment.GetEnvironmentVariable(Deployment);
        if (string.IsNullOrWhiteSpace(endpoint) || string.IsNullOrWhiteSpace(deployment)) return null;
        if (!Uri.TryCreate(endpoint, UriKind.Absolute, out var uri) || uri.Scheme != Uri.UriSchemeHttps && !uri.IsLoopback)
            throw new PipelineInputException(Endpoint, "must be an https URL such as https://<resource>.openai.azure.com/");
        return new AzureOpenAIEmbeddingSettings
        {
            Endpoint = uri,
            Deployment = deployment,
            ApiKey = Environment.GetEnvironmentVariable(ApiKey) is { Length: > 0 } key ? key : null,
            ApiVersion = Environment.GetEnvironmentVariable(ApiVersion) is { Length: > 0 } version ? version : null,
        };
    }
}
