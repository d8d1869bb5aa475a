using Azure;
using Azure.Identity;
using Azure.Security.KeyVault.Secrets;

namespace PipelineFunctions.Infrastructure.Secrets;

/// <summary>
/// Key Vault through <see cref="SecretClient"/> (in Azure: the app's managed identity via DefaultAzureCredential).
/// A missing secret (404) is null; any other failure is a <see cref="SecretSourceException"/> that carries neither
/// the service's message nor the response body, only status and error code.
/// </summary>
internal sealed class KeyVaultSecretSource(SecretClient client) : ISecretSource
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
            throw new SecretSourceException($"{Description}: could not sign in to read secret '{name}' ({e.GetType().Name}); " +
                "check the managed identity (AZURE_CLIENT_ID) or your az login", e);
        }
    }
}
