using System.Security.Cryptography;
using System.Text;
using PipelineFunctions.Core.Graph;

namespace PipelineFunctions.Core.Steps.Embeddings;

/// <summary>The text a session is embedded from, as the reference built it: title, synopsis, theatre, key_text and streams.</summary>
internal static class SessionText
{
    public static string Build(SessionNode session, IReadOnlyDictionary<string, string>? streamDescriptions)
    {
        string Property(string name) => session.Properties.TryGetValue(name, out var value) ? value.Trim() : "";
        var parts = new List<string> { Property("title"), Property("synopsis_stripped"), Property("theatre__name"), Property("key_text") };
        parts.Add(string.Join(", ", session.Streams));
        if (streamDescriptions is not null)
            parts.AddRange(session.Streams.Select(s => streamDescriptions.TryGetValue(s, out var d) ? d : "").Where(d => d.Length > 0));
        return string.Join("\n", parts.Where(p => p.Length > 0));
    }

    /// <summary>SHA-256 of the text: a session whose text hash changed gets a new vector.</summary>
    public static string Hash(string text) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)));
}
