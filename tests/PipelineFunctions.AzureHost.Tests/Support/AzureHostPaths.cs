namespace PipelineFunctions.AzureHost.Tests.Support;

/// <summary>Where the repository, the app's project and the committed samples are, found from the test's folder.</summary>
public static class AzureHostPaths
{
    public static string RepositoryRoot { get; } = FindRepositoryRoot();

    public static string ProjectFolder => Path.Combine(RepositoryRoot, "src", "PipelineFunctions");

    public static string Samples => Path.Combine(RepositoryRoot, "samples");

    private static string FindRepositoryRoot()
    {
        for (var folder = new DirectoryInfo(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
            if (File.Exists(Path.Combine(folder.FullName, "PipelineFunctions.sln"))) return folder.FullName;
        throw new InvalidOperationException($"no PipelineFunctions.sln above {AppContext.BaseDirectory}");
    }
}
