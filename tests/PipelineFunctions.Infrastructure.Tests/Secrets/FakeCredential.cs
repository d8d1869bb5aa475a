using Azure.Core;

namespace PipelineFunctions.Infrastructure.Tests.Secrets;

/// <summary>A credential that hands out one fixed token, without signing in anywhere.</summary>
public sealed class FakeCredential : TokenCredential
{
    public const string Token = "fake-access-token";

    public int Calls;

    public override AccessToken GetToken(TokenRequestContext requestContext, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref Calls);
        return new AccessToken(Token, DateTimeOffset.UtcNow.AddHours(1));
    }

    public override ValueTask<AccessToken> GetTokenAsync(TokenRequestContext requestContext, CancellationToken cancellationToken) =>
        ValueTask.FromResult(GetToken(requestContext, cancellationToken));
}
