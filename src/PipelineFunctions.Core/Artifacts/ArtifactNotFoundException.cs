namespace PipelineFunctions.Core.Artifacts;

public sealed class ArtifactNotFoundException(Uri uri)
    : Exception($"artifact not found: {uri}")
{
    public Uri Uri { get; } = uri;
}
