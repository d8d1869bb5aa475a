namespace PipelineFunctions.Infrastructure.Embeddings;

/// <summary>
/// An embedding service failed for good: a non-retryable answer, or the last of the allowed attempts failed. The message
/// names the endpoint host, the deployment, the attempts and the last status, and never holds a credential.
/// </summary>
internal sealed class EmbeddingServiceException : Exception
{
    public EmbeddingServiceException(string message, string endpointHost, string deployment, int attempts, int? lastStatus, Exception? inner = null)
        : base(message, inner)
    {
        EndpointHost = endpointHost;
        Deployment = deployment;
        Attempts = attempts;
        LastStatus = lastStatus;
    }

    public string EndpointHost { get; }

    public string Deployment { get; }

    /// <summary>Requests sent for the failed batch, the first included.</summary>
    public int Attempts { get; }

    /// <summary>HTTP status of the last answer; null when the last attempt got none (timeout, connection failure).</summary>
    public int? LastStatus { get; }
}
