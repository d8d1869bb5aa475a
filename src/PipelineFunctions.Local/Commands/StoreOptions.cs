using System.CommandLine;

namespace PipelineFunctions.Local.Commands;

/// <summary>--store: where run artifacts go (resolved by <see cref="PaServices.StoreLocation"/>).</summary>
internal static class StoreOptions
{
    public static Option<string?> Store() => new("--store")
    {
        Description = "Artifact store: a folder, file:///..., an Azure Storage connection string (add ;Container=name) "
            + "or https://account.blob.core.windows.net/container. "
            + $"Default: ${PaOptions.StoreVariable}, else {PaOptions.DefaultStore}",
    };
}
