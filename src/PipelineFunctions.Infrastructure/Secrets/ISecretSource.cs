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
