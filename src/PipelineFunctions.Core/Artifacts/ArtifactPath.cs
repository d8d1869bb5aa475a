namespace PipelineFunctions.Core.Artifacts;

/// <summary>
/// A relative, '/'-separated path inside an artifact store. Construction rejects anything that could
/// escape the store's root: "..", ".", empty segments, absolute paths, backslashes, control characters
/// and percent-encoding (so an encoded "../" cannot slip through a later decode).
/// </summary>
public readonly record struct ArtifactPath
{
    public string Value { get; }

    private ArtifactPath(string value) => Value = value;

    public static ArtifactPath Parse(string value)
    {
        if (!TryParse(value, out var path, out var problem))
            throw new ArgumentException($"'{value}' is not a valid artifact path: {problem}", nameof(value));
        return path;
    }

    public static bool TryParse(string? value, out ArtifactPath path, out string problem)
    {
        path = default;
        if (string.IsNullOrEmpty(value)) { problem = "it is empty"; return false; }
        if (value.Length > 1024) { problem = "it is longer than 1024 characters"; return false; }
        if (value.StartsWith('/')) { problem = "it is absolute"; return false; }
        foreach (var c in value)
        {
            if (c == '\\') { problem = "it contains a backslash"; return false; }
            if (c == '%') { problem = "it contains percent-encoding"; return false; }
            if (c == ':') { problem = "it contains ':'"; return false; }
            if (char.IsControl(c)) { problem = "it contains a control character"; return false; }
        }
        foreach (var segment in value.Split('/'))
        {
            if (segment.Length == 0) { problem = "it has an empty segment"; return false; }
            if (segment is "." or "..") { problem = $"it has a '{segment}' segment"; return false; }
            if (segment.Trim().Length != segment.Length) { problem = "a segment starts or ends with white space"; return false; }
        }
        path = new ArtifactPath(value);
        problem = "";
        return true;
    }

    /// <summary>Appends segments, each validated like a path.</summary>
    public ArtifactPath Combine(params string[] segments)
    {
        var combined = Value;
        foreach (var segment in segments) combined += "/" + segment;
        return Parse(combined);
    }

    /// <summary>The last segment.</summary>
    public string Name => Value[(Value.LastIndexOf('/') + 1)..];

    public override string ToString() => Value;
}
