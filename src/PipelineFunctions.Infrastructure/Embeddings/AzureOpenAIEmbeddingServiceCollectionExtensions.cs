using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace PipelineFunctions.Infrastructure.Embeddings;

public static class AzureOpenAIEmbeddingServiceCollectionExtensions
{
    /// <summary>
    /// Binds <see cref="AzureOpenAIEmbeddingOptions"/> from <paramref name="configuration"/> (keys named like the
    /// environment variables, e.g. AZURE_OPENAI_ENDPOINT), validated at start.
    /// </summary>
    public static IServiceCollection AddAzureOpenAIEmbeddingOptions(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<AzureOpenAIEmbeddingOptions>().Bind(configuration).ValidateOnStart();
        services.AddSingleton<IValidateOptions<AzureOpenAIEmbeddingOptions>, AzureOpenAIEmbeddingOptionsValidator>();
        return services;
    }
}
