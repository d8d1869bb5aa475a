using System.Globalization;
using Microsoft.Extensions.Configuration;
using PipelineFunctions.LocalServer;

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
    public const string ShutdownGraceVariable = "PA_SHUTDOWN_GRACE_SECONDS";

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

    /// <summary>
    /// Seconds `pa serve` lets the activities in flight finish after SIGTERM or Ctrl-C (--shutdown-grace), as written (unset
    /// or blank: the default). Text, so a bad value is reported with the variable's name.
    /// </summary>
    [ConfigurationKeyName(ShutdownGraceVariable)]
    public string? ShutdownGraceText { get; set; }

    /// <summary>Whole seconds from 0 to the maximum; blank: null (the default).</summary>
    internal static bool TryParseShutdownGrace(string? text, out TimeSpan? grace)
    {
        grace = null;
        if (string.IsNullOrWhiteSpace(text)) return true;
        if (!int.TryParse(text.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var seconds)
            || seconds > ServeSettings.MaxShutdownGraceSeconds) return false;
        grace = TimeSpan.FromSeconds(seconds);
        return true;
    }
}
