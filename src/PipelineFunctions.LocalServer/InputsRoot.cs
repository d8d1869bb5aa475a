using PipelineFunctions.Core;
using PipelineFunctions.Core.Artifacts;
using PipelineFunctions.Core.Orchestration.Submissions;
using PipelineFunctions.Infrastructure.Artifacts;

namespace PipelineFunctions.LocalServer;

/// <summary>
/// The folder HTTP and scheduled runs read their inputs from. A request names a folder relative to it; anything that
/// could reach outside is refused by Core's syntax rule first (<see cref="InputNames"/>, the same in the Azure host),
/// then the resolved path is checked to stay under the root and to be an existing folder (the local host's own checks).
/// </summary>
public sealed class InputsRoot
{
    public InputsRoot(string path) => Path = System.IO.Path.GetFullPath(path);

    /// <summary>Absolute path of the root.</summary>
    public string Path { get; }

    /// <summary>The absolute folder the name denotes. Throws a <see cref="PipelineInputException"/> on field 'input'.</summary>
    public string FolderOf(string? input)
    {
        InputNames.Validate(input);
        var full = System.IO.Path.GetFullPath(System.IO.Path.Combine(Path, input!));
        // Syntax already rules this out; checked again so the confinement never rests on one rule alone.
        if (!full.StartsWith(Path.TrimEnd(System.IO.Path.DirectorySeparatorChar) + System.IO.Path.DirectorySeparatorChar, StringComparison.Ordinal))
            throw InputNames.Rejected(input, "resolves outside the inputs root");
        if (!Directory.Exists(full)) throw InputNames.Rejected(input, "no such folder under the server's inputs root");
        return full;
    }

    /// <summary>The store for a run's inputs (what <see cref="LocalEngine.LocalPipelineServices"/> calls for every input location).</summary>
    public IArtifactStore Open(string input) => ArtifactStoreLocator.Open(FolderOf(input));
}
