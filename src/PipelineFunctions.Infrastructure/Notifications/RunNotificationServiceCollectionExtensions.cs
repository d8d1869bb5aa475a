using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace PipelineFunctions.Infrastructure.Notifications;

public static class RunNotificationServiceCollectionExtensions
{
    /// <summary>
    /// Binds <see cref="RunNotificationOptions"/> from <paramref name="configuration"/> (keys named like the environment
    /// variables, e.g. NOTIFY_WEBHOOK_URL), validated at start.
    /// </summary>
    public static IServiceCollection AddRunNotificationOptions(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<RunNotificationOptions>().Bind(configuration).ValidateOnStart();
        services.AddSingleton<IValidateOptions<RunNotificationOptions>, RunNotificationOptionsValidator>();
        return services;
    }
}
