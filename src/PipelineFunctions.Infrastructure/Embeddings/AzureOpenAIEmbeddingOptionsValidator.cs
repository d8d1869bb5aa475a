using Microsoft.Extensions.Options;

namespace PipelineFunctions.Infrastructure.Embeddings;

/// <summary>
/// Refuses half-configured or malformed Azure OpenAI settings with one message naming the variable and its value (the
/// key is never shown). Both endpoint and deployment, or neither: one alone would silently fall back to nothing.
/// </summary>
public sealed class AzureOpenAIEmbeddingOptionsValidator : IValidateOptions<AzureOpenAIEmbeddingOptions>
{
    public ValidateOptionsResult Validate(string? name, AzureOpenAIEmbeddingOptions options)
    {
        if (options.IsEmpty) return ValidateOptionsResult.Success;
        const string endpoint = AzureOpenAIEmbeddingOptions.EndpointVariable, deployment = AzureOpenAIEmbeddingOptions.DeploymentVariable;
        if (string.IsNullOrWhiteSpace(options.Deployment))
            return ValidateOptionsResult.Fail(
                $"{deployment} is not set, but {endpoint} is ('{options.Endpoint}'): set both to embed with Azure OpenAI, or neither");
        if (string.IsNullOrWhiteSpace(options.Endpoint))
            return ValidateOptionsResult.Fail(
                $"{endpoint} is not set, but {deployment} is ('{options.Deployment}'): set both to embed with Azure OpenAI, or neither");
        if (!Uri.TryCreate(options.Endpoint.Trim(), UriKind.Absolute, out var uri) || uri.Scheme != Uri.UriSchemeHttps && !uri.IsLoopback)
            return ValidateOptionsResult.Fail($"{endpoint}: '{options.Endpoint}' must be an https URL such as https://<resource>.openai.azure.com/");
        return ValidateOptionsResult.Success;
    }
}
