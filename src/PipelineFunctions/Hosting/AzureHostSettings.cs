using System.Text;
using PipelineFunctions.Core;
using PipelineFunctions.Core.Orchestration.Submissions;

namespace PipelineFunctions.Hosting;

/// <summary>
/// The function app's own settings (app settings / local.settings.json Values). Storage locations take every form
/// <c>ArtifactStoreLocator</c> accepts: a blob container URL (signed in with DefaultAzureCredential, i.e. the app's
/// user-assigned identity through AZURE_CLIENT_ID), a connection string with <c>Container=</c> (Azurite), or a folder.
/// This file uses no Functions SDK type, so the tests compile and run it here.
/// </summary>
/// <param name="GraphFolder">The embedded SQLite graph's folder when <c>PIPELINE_GRAPH</c> is <c>sqlite</c>; null for Neo4j.</param>
public sealed record AzureHostSettings(string ArtifactsLocation, string InputsLocation, Uri? KeyVaultUri, IReadOnlyList<WeeklyEvent> WeeklyEvents,
    string? GraphFolder = null)
{
    public const string ArtifactsSetting = "PIPELINE_ARTIFACTS", InputsSetting = "PIPELINE_INPUTS", KeyVaultSetting = "KEY_VAULT_URI",
        WeeklyEventsSetting = "WEEKLY_RETRAIN_EVENTS", ScheduleSetting = "WEEKLY_RETRAIN_SCHEDULE", GraphSetting = "PIPELINE_GRAPH",
        GraphFolderSetting = "PIPELINE_GRAPH_FOLDER";

    /// <summary>The graph is Neo4j (the secrets of the run's environment name the server) unless PIPELINE_GRAPH says sqlite.</summary>
    public bool UsesNeo4j => GraphFolder is null;

    /// <exception cref="InvalidOperationException">A required setting is missing or malformed; the message names it.</exception>
    public static AzureHostSettings From(Func<string, string?> settings)
    {
        string Required(string name) => settings(name) is { Length: > 0 } value && !string.IsNullOrWhiteSpace(value)
            ? value.Trim()
            : throw new InvalidOperationException($"App setting {name} is required (see docs/azure.md)");

        Uri? vault = null;
        if (settings(KeyVaultSetting) is { } vaultText && !string.IsNullOrWhiteSpace(vaultText)
            && (!Uri.TryCreate(vaultText.Trim(), UriKind.Absolute, out vault) || vault.Scheme != Uri.UriSchemeHttps))
            throw new InvalidOperationException($"App setting {KeyVaultSetting} must be the vault's https URI, e.g. https://<name>.vault.azure.net/");
        var graph = settings(GraphSetting)?.Trim().ToLowerInvariant();
        var graphFolder = graph switch
        {
            null or "" or "neo4j" => null,
            "sqlite" => Required(GraphFolderSetting),
            _ => throw new InvalidOperationException($"App setting {GraphSetting} must be neo4j (the default) or sqlite, not '{graph}'"),
        };
        return new AzureHostSettings(Required(ArtifactsSetting), Required(InputsSetting), vault, ParseWeeklyEvents(settings(WeeklyEventsSetting)), graphFolder);
    }

    /// <summary>"vet_lva, ecomm=ecomm/current": comma-separated events, each with an optional input (default: the event's name).</summary>
    /// <exception cref="InvalidOperationException">An entry is not an event name or its input is not a relative path.</exception>
    public static IReadOnlyList<WeeklyEvent> ParseWeeklyEvents(string? text)
    {
        var events = new List<WeeklyEvent>();
        foreach (var entry in (text ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var equals = entry.IndexOf('=');
            var (name, input) = equals < 0 ? (entry, entry) : (entry[..equals].Trim(), entry[(equals + 1)..].Trim());
            if (name.Length == 0 || name.Any(c => !(char.IsAsciiLetterOrDigit(c) || c is '_' or '-')))
                throw new InvalidOperationException($"App setting {WeeklyEventsSetting}: '{entry}' does not start with an event name (letters, digits, '_' and '-')");
            if (InputNames.Problem(input) is { } problem)
                throw new InvalidOperationException($"App setting {WeeklyEventsSetting}: the input of '{name}' {problem}");
            if (events.Any(e => e.Event == name))
                throw new InvalidOperationException($"App setting {WeeklyEventsSetting}: event '{name}' is listed twice");
            events.Add(new WeeklyEvent(name, input));
        }
        return events;
    }

    /// <summary>The store location of a relative input folder under the inputs root, in the root's own form.</summary>
    /// <exception cref="PipelineInputException">The input is not a relative path (field 'input').</exception>
    public string InputLocation(string input)
    {
        InputNames.Validate(input);
        var root = InputsLocation.Trim();
        var escaped = string.Join('/', input.Split('/').Select(Uri.EscapeDataString));
        var scheme = root.IndexOf("://", StringComparison.Ordinal);
        if (scheme > 0 && root[..scheme].All(c => char.IsAsciiLetter(c) || c is '+' or '-' or '.'))
        {
            // A URL: the input goes into the path, before a SAS query if there is one.
            var query = root.IndexOf('?');
            var (path, rest) = query < 0 ? (root, "") : (root[..query], root[query..]);
            return path.TrimEnd('/') + "/" + escaped + rest;
        }
        if (root.Contains(';') || root.Contains('='))
        {
            // A connection string: the input goes after the Container=<name>[/<prefix>] segment's value.
            var segments = root.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToList();
            var container = segments.FindIndex(s => s.StartsWith("Container=", StringComparison.OrdinalIgnoreCase));
            if (container < 0)
                throw new InvalidOperationException($"App setting {InputsSetting}: a connection string needs a Container=<name> segment");
            segments[container] = segments[container].TrimEnd('/') + "/" + input;
            return new StringBuilder().AppendJoin(';', segments).ToString();
        }
        return Path.Combine(root, input);
    }
}
