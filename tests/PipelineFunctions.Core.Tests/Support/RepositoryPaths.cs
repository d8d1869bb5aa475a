namespace PipelineFunctions.Core.Tests.Support;

public static class RepositoryPaths
{
    /// <summary>The repository root: the nearest ancestor of the test binaries holding config/events.</summary>
    public static string Root { get; } = Find();

    public static string EventConfig(string name) => Path.Combine(Root, "config", "events", name + ".yaml");

    private static string Find()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (Directory.Exists(Path.Combine(dir.FullName, "config", "events"))) return dir.FullName;
        throw new InvalidOperationException("repository root (with config/events) not found above " + AppContext.BaseDirectory);
    }
}
