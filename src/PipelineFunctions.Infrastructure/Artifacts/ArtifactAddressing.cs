using PipelineFunctions.Core.Artifacts;

namespace PipelineFunctions.Infrastructure.Artifacts;

/// <summary>
/// URI and prefix rules shared by the stores, so a file store and a blob store answer
/// <see cref="IArtifactStore.TryGetPath"/> and <see cref="IArtifactStore.ListAsync"/> the same way.
/// </summary>
internal static class ArtifactAddressing
{
    /// <summary>Escapes each segment on its own, so '/' stays a separator and '#', '?', ' ' cannot change the URI's meaning.</summary>
    public static string EscapeSegments(string relativePath) =>
        string.Join('/', relativePath.Split('/').Select(Uri.EscapeDataString));

    /// <summary>
    /// The artifact path of <paramref name="uri"/> when it lies under <paramref name="root"/> (which ends with '/').
    /// A query or fragment never belongs to an artifact, so such URIs are foreign.
    /// </summary>
    public static bool TryGetRelativePath(Uri root, Uri uri, StringComparison comparison, out ArtifactPath path)
    {
        path = default;
        if (!uri.IsAbsoluteUri || uri.Query.Length > 0 || uri.Fragment.Length > 0) return false;

        // AbsoluteUri is the canonical form: scheme and host lower-cased, dot segments removed, so
        // "file:///root/../etc/passwd" no longer starts with the root.
        var rootText = root.AbsoluteUri;
        var uriText = uri.AbsoluteUri;
        if (uriText.Length <= rootText.Length || !uriText.StartsWith(rootText, comparison)) return false;

        // ArtifactPath rejects '%', so anything still encoded after one decode (a double-encoded "..") is refused.
        var relative = Uri.UnescapeDataString(uriText[rootText.Length..]);
        return ArtifactPath.TryParse(relative, out path, out _);
    }

    /// <summary>
    /// Checks a listing prefix ("", "runs/", "runs/vet_lva/", "runs/a") and returns its folder part ("" or "runs/vet_lva").
    /// Complete segments follow <see cref="ArtifactPath"/> rules; the trailing partial segment may be the start
    /// of any segment.
    /// </summary>
    public static string ValidatePrefix(string prefix)
    {
        ArgumentNullException.ThrowIfNull(prefix);
        if (prefix.Length == 0) return "";

        var lastSlash = prefix.LastIndexOf('/');
        var folder = lastSlash < 0 ? "" : prefix[..lastSlash];
        var partial = prefix[(lastSlash + 1)..];

        if (folder.Length > 0 && !ArtifactPath.TryParse(folder, out _, out var problem))
            throw new ArgumentException($"'{prefix}' is not a valid artifact prefix: {problem}", nameof(prefix));
        if (lastSlash == 0)
            throw new ArgumentException($"'{prefix}' is not a valid artifact prefix: it is absolute", nameof(prefix));
        // The partial segment is only compared as text, never navigated, so ".." there ("..x") is harmless.
        if (partial.Any(c => c is '\\' or '%' or ':' || char.IsControl(c)))
            throw new ArgumentException($"'{prefix}' is not a valid artifact prefix: its last segment '{partial}' is not allowed", nameof(prefix));
        return folder;
    }

    /// <summary>Throws for <c>default(ArtifactPath)</c>, whose Value is null and would otherwise address the root.</summary>
    public static string RequireValue(ArtifactPath path, string parameterName) =>
        path.Value ?? throw new ArgumentException("the artifact path is uninitialised (default)", parameterName);
}
