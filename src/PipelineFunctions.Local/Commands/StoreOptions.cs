using System.CommandLine;

namespace PipelineFunctions.Local.Commands;

/// <summary>--store: where run artifacts go. Default: the PA_STORE environment variable, else ./.pa/store.</summary>
public static class StoreOptions
{
    public const string EnvironmentVariable = "PA_STORE";
    public const string DefaultFolder = ".pa/store";

    public static Option<string?> Store() => new("--store")
    {
        Description = $"Artifact store: a folder, file:///..., an Azure Storage connection string (add ;Container=name) or https://account.blob.core.windows.net/container. Default: ${EnvironmentVariable}, else {DefaultFolder}",
    };

    public static string Resolve(string? store) =>
        store ?? Environment.GetEnvironmentVariable(EnvironmentVariable) ?? Path.GetFullPath(DefaultFolder);
}
