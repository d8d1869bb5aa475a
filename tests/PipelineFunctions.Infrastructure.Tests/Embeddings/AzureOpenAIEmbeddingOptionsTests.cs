using PipelineFunctions.Infrastructure.Embeddings;

namespace PipelineFunctions.Infrastructure.Tests.Embeddings;

/// <summary>Azure OpenAI settings as a host binds them: both endpoint and deployment or neither, an https endpoint, the key never shown.</summary>
public sealed class AzureOpenAIEmbeddingOptionsTests
{
    private static readonly AzureOpenAIEmbeddingOptionsValidator Validator = new();

    [Fact]
    public void No_settings_are_valid_and_mean_no_Azure_OpenAI()
    {
        var options = new AzureOpenAIEmbeddingOptions();
        Assert.True(Validator.Validate(null, options).Succeeded);
        Assert.Null(options.ToSettings());
    }

    [Fact]
    public void Endpoint_and_deployment_give_settings_and_a_blank_key_or_version_counts_as_unset()
    {
        var options = new AzureOpenAIEmbeddingOptions
        {
            Endpoint = "https://res.openai.azure.com/", Deployment = "embeddings", ApiKey = "", ApiVersion = "",
        };
        Assert.True(Validator.Validate(null, options).Succeeded);
        var settings = options.ToSettings()!;
        Assert.Equal((new Uri("https://res.openai.azure.com/"), "embeddings", (string?)null, (string?)null),
            (settings.Endpoint, settings.Deployment, settings.ApiKey, settings.ApiVersion));
    }

    [Fact]
    public void An_endpoint_without_a_deployment_is_refused_naming_both_variables_and_the_endpoint()
    {
        var result = Validator.Validate(null, new AzureOpenAIEmbeddingOptions { Endpoint = "https://res.openai.azure.com/", ApiKey = "secret-key" });
        Assert.True(result.Failed);
        Assert.Equal("AZURE_OPENAI_DEPLOYMENT is not set, but AZURE_OPENAI_ENDPOINT is ('https://res.openai.azure.com/'): "
                     + "set both to embed with Azure OpenAI, or neither", result.FailureMessage);
        Assert.DoesNotContain("secret-key", result.FailureMessage);
    }

    [Fact]
    public void A_deployment_without_an_endpoint_is_refused()
    {
        var result = Validator.Validate(null, new AzureOpenAIEmbeddingOptions { Deployment = "embeddings" });
        Assert.StartsWith("AZURE_OPENAI_ENDPOINT is not set, but AZURE_OPENAI_DEPLOYMENT is ('embeddings')", result.FailureMessage);
    }

    [Theory]
    [InlineData("http://res.openai.azure.com/")]
    [InlineData("res.openai.azure.com")]
    public void An_endpoint_that_is_not_https_is_refused_unless_it_is_loopback(string endpoint)
    {
        var result = Validator.Validate(null, new AzureOpenAIEmbeddingOptions { Endpoint = endpoint, Deployment = "embeddings" });
        Assert.Equal($"AZURE_OPENAI_ENDPOINT: '{endpoint}' must be an https URL such as https://<resource>.openai.azure.com/", result.FailureMessage);
        Assert.True(Validator.Validate(null, new AzureOpenAIEmbeddingOptions { Endpoint = "http://127.0.0.1:5000/", Deployment = "d" }).Succeeded);
    }
}
