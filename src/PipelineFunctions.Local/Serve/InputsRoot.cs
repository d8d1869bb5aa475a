using PipelineFunctions.Core;
using PipelineFunctions.Core.Artifacts;
using PipelineFunctions.Infrastructure.Artifacts;

namespace PipelineFunctions.Local.Serve;

/// <summary>
/// The folder HTTP and scheduled runs read their inputs from. A request names a folder relative to it; anything that
/// could reach outside (absolute paths, '..', backslashes, percent-encoding, control characters, URI schemes) is
/// refused by syntax first, and the resolved path is checked to stay under the root as well.
/// </summary>
public sealed class InputsRoot
{
    public const string EnvironmentVariable = "PA_INPUTS_ROOT", DefaultFolder = "inputs";

    /// <summary>Longest accepted input name; real folder names are far shorter.</summary>
    public const int MaxLength = 200;

    public InputsRoot(string path) => Path = System.IO.Path.GetFullPath(path);

    /// <summary>Absolute path of the root.</summary>
    public string Path { get; }

    public static string Resolve(string? option) =>
        System.IO.Path.GetFullPath(option ?? Environment.GetEnvironmentVariable(EnvironmentVariable) ?? DefaultFolder);

    /// <summary>Why the name is not an acceptable relative folder name, or null when it is (syntax only, no file system).</summary>
    public static string? SyntaxProblem(string? input)
    {
        if (string.IsNullOrWhiteSpace(input)) return "is required: a folder name relative to the server's inputs root (e.g. vet_lva)";
        if (input.Length > MaxLength) return $"is longer than {MaxLength} characters";
        if (input.Any(char.IsControl)) return "contains control characters";
        // Percent signs are refused outright: an encoded '..' or '/' (%2e%2e, %2f) must never be decoded into a path later.
        if (input.Contains('%')) return "contains '%': give the folder name itself, not URL-encoded";
        if (input.Contains('\\')) return "contains a backslash: separate folders with '/'";
        if (input.Contains(':')) return "contains ':': give a folder name relative to the inputs root, not a URI or drive";
        if (input.StartsWith('/') || input.StartsWith('~') || System.IO.Path.IsPathRooted(input)) return "is an absolute path: give a folder name relative to the inputs root";
        foreach (var segment in input.Split('/'))
        {
            if (segment.Length == 0) return "has an empty path segment ('//' or a leading or trailing '/')";
            if (segment is "." or "..") return "contains a '.' or '..' segment: it must stay inside the inputs root";
            if (segment != segment.Trim()) return "has a path segment starting or ending with white space";
        }
        return null;
    }

    /// <summary>The absolute folder the name denotes. Throws a <see cref="PipelineInputException"/> on field 'input'.</summary>
    public string FolderOf(string? input)
    {
        if (SyntaxProblem(input) is { } problem) throw Rejected(input, problem);
        var full = System.IO.Path.GetFullPath(System.IO.Path.Combine(Path, input!));
        // Syntax already rules this out; checked again so the confinement never rests on one rule alone.
        if (!full.StartsWith(Path.TrimEnd(System.IO.Path.DirectorySeparatorChar) + System.IO.Path.DirectorySeparatorChar, StringComparison.Ordinal))
            throw Rejected(input, "resolves outside the inputs root");
        if (!Directory.Exists(full)) throw Rejected(input, "no such folder under the server's inputs root");
        return full;
    }

    /// <summary>The store for a run's inputs (what <see cref="Orchestration.LocalPipelineServices"/> calls for every input location).</summary>
    public IArtifactStore Open(string input) => ArtifactStoreLocator.Open(FolderOf(input));

    // The message quotes the value the client sent, never the server's own paths.
    private static PipelineInputException Rejected(string? input, string problem) =>
        new("request", $"'{Printable(input)}' {problem}", field: "input");

    private static string Printable(string? value) =>
        value is null ? "" : new string(value.Take(MaxLength).Select(c => char.IsControl(c) ? '?' : c).ToArray());
}
