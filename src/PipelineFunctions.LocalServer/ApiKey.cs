using System.Security.Cryptography;
using System.Text;

namespace PipelineFunctions.LocalServer;

/// <summary>
/// The key mutating requests must carry in <see cref="HeaderName"/> (the header Azure Functions reads keys from, so
/// one client works against both hosts).
/// </summary>
public sealed class ApiKey
{
    public const string HeaderName = "x-functions-key";

    private readonly byte[] _digest;

    public ApiKey(string value)
    {
        if (string.IsNullOrWhiteSpace(value)) throw new ArgumentException("an API key cannot be empty", nameof(value));
        Value = value;
        _digest = Digest(value);
    }

    public string Value { get; }

    /// <summary>32 random bytes, base64url: for a server started without a key.</summary>
    public static ApiKey Generate() =>
        new(Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)).TrimEnd('=').Replace('+', '-').Replace('/', '_'));

    /// <summary>
    /// Constant-time comparison of the UTF-8 bytes. Both sides are hashed first so that FixedTimeEquals always compares
    /// equal lengths: comparing the raw bytes would return early on a length mismatch and leak the key's length.
    /// </summary>
    public bool Matches(string? presented) =>
        presented is not null && CryptographicOperations.FixedTimeEquals(Digest(presented), _digest);

    private static byte[] Digest(string value) => SHA256.HashData(Encoding.UTF8.GetBytes(value));
}
