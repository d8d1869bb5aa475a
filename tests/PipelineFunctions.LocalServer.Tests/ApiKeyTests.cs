namespace PipelineFunctions.LocalServer.Tests;

/// <summary>The key mutating requests carry: compared exactly, and a generated one is random.</summary>
public sealed class ApiKeyTests
{
    [Fact]
    public void Keys_match_only_exactly_and_generated_keys_differ()
    {
        var key = new ApiKey("s3cret-key");
        Assert.True(key.Matches("s3cret-key"));
        Assert.False(key.Matches("s3cret-key "));
        Assert.False(key.Matches("S3CRET-KEY"));
        Assert.False(key.Matches(""));
        Assert.False(key.Matches(null));
        var generated = ApiKey.Generate();
        Assert.Equal(43, generated.Value.Length); // 32 bytes, base64url without padding
        Assert.NotEqual(generated.Value, ApiKey.Generate().Value);
    }
}
