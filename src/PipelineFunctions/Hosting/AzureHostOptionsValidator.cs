using Microsoft.Extensions.Options;
using PipelineFunctions.Core.Orchestration;

namespace PipelineFunctions.Hosting;

/// <summary>
/// Checks <see cref="AzureHostOptions"/> when the host starts, failing with one message that names the first bad
/// setting and, unless it may hold a credential (the storage locations may be connection strings), its value.
/// </summary>
internal sealed class AzureHostOptionsValidator : IValidateOptions<AzureHostOptions>
{
    public ValidateOptionsResult Validate(string? name, AzureHostOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return Problem(options) is { } problem ? ValidateOptionsResult.Fail(problem) : ValidateOptionsResult.Success;
    }

    /// <summary>What is wrong with the settings, in one sentence; null when nothing is.</summary>
    public static string? Problem(AzureHostOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (options.ArtifactsLocation.Length == 0) return Required(AzureHostOptions.ArtifactsSetting);
        if (options.InputsLocation.Length == 0) return Required(AzureHostOptions.InputsSetting);
        if (options.KeyVault is { } vault && (!Uri.TryCreate(vault, UriKind.Absolute, out var uri) || uri.Scheme != Uri.UriSchemeHttps))
            return $"App setting {AzureHostOptions.KeyVaultSetting}={vault} must be the vault's https URI, e.g. https://<name>.vault.azure.net/";
        if (!options.UsesNeo4j && !options.UsesSqlite)
            return $"App setting {AzureHostOptions.GraphSetting}={options.Graph} must be neo4j (the default) or sqlite";
        if (options.UsesSqlite && options.GraphFolder is null)
            return $"App setting {AzureHostOptions.GraphFolderSetting} " +
                $"is required with {AzureHostOptions.GraphSetting}={options.Graph} (see docs/azure.md)";
        if (WeeklySchedule.CronProblem(options.WeeklyRetrainSchedule) is { } schedule)
            return $"App setting {AzureHostOptions.ScheduleSetting}: {schedule}";
        try
        {
            AzureHostOptions.ParseWeeklyEvents(options.WeeklyRetrainEvents);
        }
        catch (InvalidOperationException e)
        {
            return e.Message;
        }
        return null;
    }

    private static string Required(string setting) => $"App setting {setting} is required (see docs/azure.md)";
}
