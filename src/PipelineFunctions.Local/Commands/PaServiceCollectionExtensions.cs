using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using PipelineFunctions.Core.Steps.Embeddings;
using PipelineFunctions.Embeddings.MiniLM;
using PipelineFunctions.Infrastructure.Embeddings;
using PipelineFunctions.Infrastructure.Notifications;
using PipelineFunctions.LocalEngine;

namespace PipelineFunctions.Local.Commands;

/// <summary>The `pa` host's composition root: every setting it reads, bound and validated in one place.</summary>
internal static class PaServiceCollectionExtensions
{
    /// <summary>Registers the settings (bound from <paramref name="configuration"/>, validated at start) and <see cref="PaServices"/>.</summary>
    public static IServiceCollection AddPaHost(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<PaOptions>().Bind(configuration);
        services.AddSingleton<IValidateOptions<PaOptions>, PaOptionsValidator>();
        services.AddOptions<PaOptions>().ValidateOnStart();
        services.AddLocalEngineOptions(configuration);
        services.AddAzureOpenAIEmbeddingOptions(configuration);
        services.AddRunNotificationOptions(configuration);
        // pa (and pa serve) offers minilm: this host references its project, whatever its size (see docs/graph-and-embeddings.md).
        services.AddSingleton<ISessionEmbeddingGeneratorFactory, MiniLMEmbeddingGeneratorFactory>();
        services.AddSingleton<PaServices>();
        return services;
    }
}
