namespace PipelineFunctions.Infrastructure.Secrets;

/// <summary>
/// A secret source failed for a reason other than a missing secret: signing in, permissions, throttling, an outage.
/// The message names the source and the secret, the HTTP status and the service's error code: never a value.
/// </summary>
internal sealed class SecretSourceException(string message, Exception? inner = null) : Exception(message, inner);
