namespace PipelineFunctions.Infrastructure.Secrets;

/// <summary>
/// App settings (environment variables) named by <see cref="PipelineSecretNames.SettingName"/>: NEO4J_URI, NEO4J_URI_PROD, ….
/// In Azure such a setting may be a Key Vault reference that the platform resolves; one it could not resolve still
/// reads "@Microsoft.KeyVault(…)" and counts as missing here, so Key Vault itself is asked next.
/// </summary>
public sealed class AppSettingsSecretSource(Func<string, string?> lookup) : ISecretSource
{
    public const string UnresolvedReferencePrefix = "@Microsoft.KeyVault(";

    public static AppSettingsSecretSource FromEnvironment() => new(Environment.GetEnvironmentVariable);

    public string Description => "app settings";

    public Task<string?> TryGetAsync(string name, CancellationToken cancellationToken = default)
    {
        var value = lookup(PipelineSecretNames.SettingName(name));
        if (string.IsNullOrWhiteSpace(value) || value.TrimStart().StartsWith(UnresolvedReferencePrefix, StringComparison.OrdinalIgnoreCase))
            return Task.FromResult<string?>(null);
        return Task.FromResult<string?>(value);
    }
}
