namespace PipelineFunctions.Infrastructure.Tests.Artifacts;

/// <summary>A temporary folder for one test class, removed with everything in it when the class is done.</summary>
public sealed class TempFolderFixture : IDisposable
{
    public string Path { get; } = Directory.CreateTempSubdirectory("pf-artifacts-").FullName;

    public void Dispose()
    {
        if (Directory.Exists(Path)) Directory.Delete(Path, recursive: true);
    }
}
