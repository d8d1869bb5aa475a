namespace PipelineFunctions.Core.Orchestration.Submissions;

/// <summary>
/// The one rule for a submission's input on both hosts: a folder name relative to the host's inputs root (a local
/// folder, a blob container or prefix, a connection string's container). Anything that could reach outside the root
/// or change the meaning of the root's own location is refused by syntax, before any store is opened: absolute paths,
/// '.' and '..' segments, backslashes, percent-encoding, control characters, URI schemes and drives (':'), connection
/// string separators (';') and home folders ('~'). Every accepted name is also a valid
/// <see cref="Artifacts.ArtifactPath"/>.
/// </summary>
public static class InputNames
{
    public const string Field = "input";

    /// <summary>Longest accepted input name; real folder names are far shorter.</summary>
    public const int MaxLength = 200;

    /// <summary>Why the name is not an acceptable relative folder name, or null when it is (syntax only, no store).</summary>
    /// <returns>A predicate on the name, e.g. "contains a backslash: ...", to follow the quoted name.</returns>
    public static string? Problem(string? input)
    {
        if (string.IsNullOrWhiteSpace(input)) return "is required: a folder name relative to the inputs root (e.g. vet_lva)";
        if (input.Length > MaxLength) return $"is longer than {MaxLength} characters";
        if (input.Any(char.IsControl)) return "contains control characters";
        // Refused outright: an encoded '..' or '/' (%2e%2e, %2f) must never be decoded into a path later.
        if (input.Contains('%')) return "contains '%': give the folder name itself, not URL-encoded";
        if (input.Contains('\\')) return "contains a backslash: separate folders with '/'";
        if (input.Contains(':')) return "contains ':': give a folder name relative to the inputs root, not a URI or drive";
        // ';' would start a new segment of a connection-string root (a second Container=, an AccountName=...).
        if (input.Contains(';')) return "contains ';': give a folder name relative to the inputs root";
        if (input.StartsWith('/') || input.StartsWith('~')) return "is an absolute path: give a folder name relative to the inputs root";
        foreach (var segment in input.Split('/'))
        {
            if (segment.Length == 0) return "has an empty path segment ('//' or a leading or trailing '/')";
            if (segment is "." or "..") return "contains a '.' or '..' segment: it must stay inside the inputs root";
            if (segment != segment.Trim()) return "has a path segment starting or ending with white space";
        }
        return null;
    }

    /// <summary>A refusal of the input on field <see cref="Field"/>, quoting it: for this rule's problems and a host's own
    /// (e.g. "no such folder under the inputs root").</summary>
    public static PipelineInputException Rejected(string? input, string problem) =>
        RequestErrors.For(Field, $"{RequestErrors.Quote(input)} {problem}");

    /// <summary>Throws <see cref="Rejected"/> when <see cref="Problem"/> finds one.</summary>
    public static void Validate(string? input)
    {
        if (Problem(input) is { } problem) throw Rejected(input, problem);
    }
}
