using Azure;
using Azure.Identity;
using Azure.Security.KeyVault.Secrets;

namespace PipelineFunctions.Infrastructure.Secrets;

/// <summary>Somewhere secrets are looked up by their Key Vault name.</summary>
public interface ISecretSource
{
    /// <summary>Where the secrets come from, for messages ("Key Vault https://…/", "app settings"). Never a value.</summary>
    string Description { get; }

    /// <summary>The secret's value, or null when the source has none (or only a blank one).</summary>
    /// <exception cref="SecretSourceException">The source could not be asked (signing in failed, access denied, outage).</exception>
    Task<string?> TryGetAsync(string name, CancellationToken cancellationToken = default);
}

/// <summary>
/// A secret source failed for a reason other than a missing secret: signing in, permissions, throttling, an outage.
/// The message names the source and the secret, the HTTP status and the service's error code: never a value.
/// </summary>
public sealed class SecretSourceException(string message, Exception? inner = null) : Exception(message, inner);

/// <summary>
/// Key Vault through <see cref="SecretClient"/> (in Azure: the app's managed identity via DefaultAzureCredential).
/// A missing secret (404) is null; any other failure is a <see cref="SecretSourceException"/> that carries neither
/// the service's message nor the response body, only status and error code.
/// </summary>
public sealed class KeyVaultSecretSource(SecretClient client) : ISecretSource
{
    public string Description => $"Key Vault {client.VaultUri}";

    public async Task<string?> TryGetAsync(string name, CancellationToken cancellationToken = default)
    {
        try
        {
            var response = await client.GetSecretAsync(name, cancellationToken: cancellationToken);
            var value = response.Value.Value;
            return string.IsNullOrWhiteSpace(value) ? null : value;
        }
        catch (RequestFailedException e) when (e.Status == 404)
        {
            return null;
        }
        catch (RequestFailedException e)
        {
            var code = string.IsNullOrEmpty(e.ErrorCode) ? "" : $" ({e.ErrorCode})";
            var hint = e.Status is 401 or 403
                ? ": the app's identity needs the Key Vault Secrets User role on the vault, and the secret must be enabled"
                : "";
            throw new SecretSourceException($"{Description} refused secret '{name}' with HTTP {e.Status}{code}{hint}");
        }
        catch (AuthenticationFailedException e)
        {
            throw new SecretSourceException($"{Description}: could not sign in to read secret '{name}' ({e.GetType().Name}); check the managed identity (AZURE_CLIENT_ID) or your az login", e);
        }
    }
}

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
