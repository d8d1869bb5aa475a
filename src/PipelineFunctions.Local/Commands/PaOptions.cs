using Microsoft.Extensions.Configuration;

namespace PipelineFunctions.Local.Commands;

/// <summary>
/// The `pa` host's own settings, bound from configuration under the environment variables' names. Each is the default
/// of a command-line option, which wins over it; unset, the documented default applies.
/// </summary>
internal sealed class PaOptions
{
    public const string StoreVariable = "PA_STORE", DefaultStore = ".pa/store";
    public const string GraphVariable = "PA_GRAPH", DefaultGraph = ".pa/graph";
    public const string InputsRootVariable = "PA_INPUTS_ROOT", DefaultInputsRoot = "inputs";
    public const string ApiKeyVariable = "PA_API_KEY";

    /// <summary>Artifact store location (--store).</summary>
    [ConfigurationKeyName(StoreVariable)]
    public string? Store { get; set; }

    /// <summary>Folder of the embedded graph databases (--graph).</summary>
    [ConfigurationKeyName(GraphVariable)]
    public string? Graph { get; set; }

    /// <summary>Folder `pa serve` resolves run requests' inputs under (--inputs-root).</summary>
    [ConfigurationKeyName(InputsRootVariable)]
    public string? InputsRoot { get; set; }

    /// <summary>The key `pa serve` requires on POST and DELETE (--api-key); unset: a random one.</summary>
    [ConfigurationKeyName(ApiKeyVariable)]
    public string? ApiKey { get; set; }
}
