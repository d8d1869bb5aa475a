using System.Collections.Concurrent;
using System.Net;
using System.Text;
using System.Text.Json;
using Azure.Core;
using Azure.Core.Pipeline;
using Azure.Security.KeyVault.Secrets;

namespace PipelineFunctions.Infrastructure.Tests.Secrets;

/// <summary>
/// Key Vault's secrets API served in memory through the Azure SDK's own transport hook
/// (<see cref="ClientOptions.Transport"/> = <see cref="HttpClientTransport"/> over this handler): no network.
/// Speaks the vault's challenge protocol: a request without a bearer token gets 401 with a WWW-Authenticate challenge,
/// as the real service answers, so the SDK's challenge-based authentication runs for real against <see cref="FakeCredential"/>.
/// </summary>
public sealed class FakeKeyVault : HttpMessageHandler
{
    public static readonly Uri VaultUri = new("https://fake-vault.vault.azure.net/");

    /// <summary>Secret name to value; names absent are 404 SecretNotFound.</summary>
    public ConcurrentDictionary<string, string> Secrets { get; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>Secret name to the HTTP status and error code to answer instead (403 Forbidden, 500, ...).</summary>
    public ConcurrentDictionary<string, (HttpStatusCode Status, string Code)> Failures { get; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>Every secret name asked for with a token, in order.</summary>
    public ConcurrentQueue<string> Requests { get; } = new();

    public SecretClient Client() => new(VaultUri, new FakeCredential(), new SecretClientOptions
    {
        Transport = new HttpClientTransport(new HttpClient(this)),
        Retry = { MaxRetries = 0 },
    });

    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        if (request.Headers.Authorization is not { Scheme: "Bearer", Parameter: FakeCredential.Token })
        {
            var challenge = new HttpResponseMessage(HttpStatusCode.Unauthorized) { Content = new StringContent("") };
            challenge.Headers.TryAddWithoutValidation("WWW-Authenticate",
                "Bearer authorization=\"https://login.microsoftonline.com/00000000-0000-0000-0000-000000000001\", " +
                "resource=\"https://vault.azure.net\"");
            return Task.FromResult(challenge);
        }

        var segments = request.RequestUri!.AbsolutePath.Trim('/').Split('/');
        if (request.Method != HttpMethod.Get || segments.Length < 2 || segments[0] != "secrets")
            return Task.FromResult(Json(HttpStatusCode.BadRequest, new { error = new { code = "BadParameter", message = "unexpected request" } }));
        var name = Uri.UnescapeDataString(segments[1]);
        Requests.Enqueue(name);
        if (Failures.TryGetValue(name, out var failure))
            return Task.FromResult(Json(failure.Status, new { error = new { code = failure.Code, message = $"scripted failure for {name}" } }));
        if (!Secrets.TryGetValue(name, out var value))
            return Task.FromResult(Json(HttpStatusCode.NotFound, new
            {
                error = new { code = "SecretNotFound", message = $"A secret with (name/id) {name} was not found in this key vault." },
            }));
        return Task.FromResult(Json(HttpStatusCode.OK, new
        {
            value,
            id = $"{VaultUri}secrets/{name}/0123456789abcdef0123456789abcdef",
            attributes = new { enabled = true, created = 1_700_000_000, updated = 1_700_000_000, recoveryLevel = "Recoverable+Purgeable" },
        }));
    }

    private static HttpResponseMessage Json(HttpStatusCode status, object body) =>
        new(status) { Content = new StringContent(JsonSerializer.Serialize(body), Encoding.UTF8, "application/json") };
}
