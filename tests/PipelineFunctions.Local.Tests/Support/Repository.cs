namespace PipelineFunctions.Local.Tests.Support;

/// <summary>Paths in the repository the tests run from.</summary>
public static class Repository
{
    /// <summary>The nearest ancestor of the test binaries holding config/events.</summary>
    public static string Root { get; } = Find();

    public static string Sample(string eventName) => Path.Combine(Root, "samples", eventName);

    private static string Find()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (Directory.Exists(Path.Combine(dir.FullName, "config", "events"))) return dir.FullName;
        throw new InvalidOperationException("repository root (with config/events) not found above " + AppContext.BaseDirectory);
    }
}
