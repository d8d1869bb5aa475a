using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using PipelineFunctions.Hosting;

namespace PipelineFunctions.AzureHost.Tests.Support;

/// <summary>The host's options as its composition root binds and validates them from app settings.</summary>
public static class AppSettings
{
    /// <exception cref="OptionsValidationException">A setting is bad; the message names it.</exception>
    public static AzureHostOptions Bind(IReadOnlyDictionary<string, string?> values)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(values).Build();
        using var services = new ServiceCollection().AddPipelineFunctions(configuration).BuildServiceProvider();
        return services.GetRequiredService<IOptions<AzureHostOptions>>().Value;
    }
}
