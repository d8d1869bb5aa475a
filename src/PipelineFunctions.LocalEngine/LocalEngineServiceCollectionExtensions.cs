using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace PipelineFunctions.LocalEngine;

public static class LocalEngineServiceCollectionExtensions
{
    /// <summary>
    /// Binds <see cref="LocalEngineOptions"/> from <paramref name="configuration"/> (keys named like the environment
    /// variables, e.g. PA_RUNS), validated at start.
    /// </summary>
    public static IServiceCollection AddLocalEngineOptions(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<LocalEngineOptions>().Bind(configuration).ValidateOnStart();
        services.AddSingleton<IValidateOptions<LocalEngineOptions>, LocalEngineOptionsValidator>();
        return services;
    }
}
