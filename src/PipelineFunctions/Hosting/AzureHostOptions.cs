using System.Text;
using Microsoft.Extensions.Configuration;
using PipelineFunctions.Core;
using PipelineFunctions.Core.Orchestration;
using PipelineFunctions.Core.Orchestration.Submissions;

namespace PipelineFunctions.Hosting;

/// <summary>
/// The function app's own settings (app settings / local.settings.json Values), bound from configuration under their
/// app setting names and checked at start by <see cref="AzureHostOptionsValidator"/>. Storage locations take every
/// form <c>ArtifactStoreLocator</c> accepts: a blob container URL (signed in with DefaultAzureCredential, i.e. the
/// app's user-assigned identity through AZURE_CLIENT_ID), a connection string with <c>Container=</c> (Azurite), or a
/// folder. Values are trimmed; a blank optional setting means its default.
/// This file uses no Functions SDK type, so the tests compile and run it here.
/// </summary>
public sealed class AzureHostOptions
{
    public const string ArtifactsSetting = "PIPELINE_ARTIFACTS";
    public const string InputsSetting = "PIPELINE_INPUTS";
    public const string KeyVaultSetting = "KEY_VAULT_URI";
    public const string WeeklyEventsSetting = "WEEKLY_RETRAIN_EVENTS";
    public const string ScheduleSetting = "WEEKLY_RETRAIN_SCHEDULE";
    public const string GraphSetting = "PIPELINE_GRAPH";
    public const string GraphFolderSetting = "PIPELINE_GRAPH_FOLDER";

    /// <summary>Where the run artifacts go (required).</summary>
    [ConfigurationKeyName(ArtifactsSetting)]
    public string ArtifactsLocation { get; set => field = value?.Trim() ?? ""; } = "";

    /// <summary>The root the runs' input folders are under (required).</summary>
    [ConfigurationKeyName(InputsSetting)]
    public string InputsLocation { get; set => field = value?.Trim() ?? ""; } = "";

    /// <summary>The Key Vault holding the secrets, as its https URI; null when secrets come from app settings only.</summary>
    [ConfigurationKeyName(KeyVaultSetting)]
    public string? KeyVault { get; set => field = Blank(value); }

    /// <summary>"vet_lva, ecomm=ecomm/current": see <see cref="ParseWeeklyEvents"/>; null when no weekly run is wanted.</summary>
    [ConfigurationKeyName(WeeklyEventsSetting)]
    public string? WeeklyRetrainEvents { get; set => field = Blank(value); }

    /// <summary>
    /// The timer trigger's schedule (NCRONTAB with seconds, UTC), read here too so that a late firing is matched to the
    /// occurrence it stands for (<see cref="WeeklySchedule.OccurrenceFiredAt"/>). Blank: the default, Sundays 04:00.
    /// </summary>
    [ConfigurationKeyName(ScheduleSetting)]
    public string WeeklyRetrainSchedule { get; set => field = Blank(value) ?? WeeklySchedule.DefaultExpression; } = WeeklySchedule.DefaultExpression;

    /// <summary>The parsed <see cref="WeeklyRetrainSchedule"/>: valid once the options are validated.</summary>
    public WeeklySchedule WeeklySchedule => new(WeeklyRetrainSchedule);

    /// <summary>neo4j (the default: the secrets of the run's environment name the server) or sqlite (embedded).</summary>
    [ConfigurationKeyName(GraphSetting)]
    public string? Graph { get; set => field = Blank(value); }

    /// <summary>The embedded SQLite graph's folder; required when <see cref="Graph"/> is sqlite, ignored otherwise.</summary>
    [ConfigurationKeyName(GraphFolderSetting)]
    public string? GraphFolder { get; set => field = Blank(value); }

    /// <summary>Whether the graph is Neo4j: <see cref="Graph"/> is blank or neo4j (any case).</summary>
    public bool UsesNeo4j => Graph is null || Graph.Equals("neo4j", StringComparison.OrdinalIgnoreCase);

    /// <summary>Whether the graph is the embedded SQLite one, in <see cref="GraphFolder"/>.</summary>
    public bool UsesSqlite => Graph is not null && Graph.Equals("sqlite", StringComparison.OrdinalIgnoreCase);

    /// <summary>The parsed <see cref="KeyVault"/>: valid once the options are validated.</summary>
    public Uri? KeyVaultUri => KeyVault is null ? null : new Uri(KeyVault, UriKind.Absolute);

    /// <summary>The parsed <see cref="WeeklyRetrainEvents"/>: valid once the options are validated.</summary>
    public IReadOnlyList<WeeklyEvent> WeeklyEvents => ParseWeeklyEvents(WeeklyRetrainEvents);

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
                throw new InvalidOperationException(
                    $"App setting {WeeklyEventsSetting}: '{entry}' does not start with an event name (letters, digits, '_' and '-')");
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
        var root = InputsLocation;
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

    private static string? Blank(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();
}
