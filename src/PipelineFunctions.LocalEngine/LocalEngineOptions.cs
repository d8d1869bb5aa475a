using System.Globalization;
using Microsoft.Extensions.Configuration;

namespace PipelineFunctions.LocalEngine;

/// <summary>
/// The local engine's settings, bound from configuration under the environment variables' own names (see
/// <see cref="LocalEngineServiceCollectionExtensions.AddLocalEngineOptions"/>) and checked by
/// <see cref="LocalEngineOptionsValidator"/> before anything runs.
/// </summary>
public sealed class LocalEngineOptions
{
    public const string RunStoreVariable = "PA_RUNS", DefaultRunStore = ".pa/runs.sqlite", LeaseVariable = "PA_RUN_LEASE_SECONDS",
        ParallelActivitiesVariable = "PA_PARALLEL_ACTIVITIES";

    /// <summary>The run store's SQLite file, relative to the current folder; a command's --runs wins over it.</summary>
    [ConfigurationKeyName(RunStoreVariable)]
    public string RunStore { get; set; } = DefaultRunStore;

    /// <summary>
    /// Seconds a process's claim on a running instance lasts without renewal, as written (unset or blank: the runner's
    /// default). Kept as text so a bad value is reported with the variable's name rather than as a binder failure.
    /// </summary>
    [ConfigurationKeyName(LeaseVariable)]
    public string? LeaseSeconds { get; set; }

    /// <summary>
    /// A run's fanned-out activities (graph processors, session batches, visitor shards) executing at once, as written
    /// (unset or blank: one per core).
    /// </summary>
    [ConfigurationKeyName(ParallelActivitiesVariable)]
    public string? ParallelActivitiesText { get; set; }

    /// <summary>The parallel activities, or null for one per core; only meaningful once validated.</summary>
    public int? ParallelActivities => TryParseCount(ParallelActivitiesText, out var count) ? count : null;

    /// <summary>The lease, or null for the runner's default; only meaningful once validated.</summary>
    public TimeSpan? Lease => TryParseLease(LeaseSeconds, out var lease) ? lease : null;

    /// <summary>The absolute run store path: the command-line value when given, else <see cref="RunStore"/>.</summary>
    public string RunStorePath(string? commandLineValue) => Path.GetFullPath(commandLineValue ?? RunStore);

    internal static bool TryParseCount(string? text, out int? count)
    {
        count = null;
        if (string.IsNullOrWhiteSpace(text)) return true;
        if (!int.TryParse(text.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var value) || value <= 0) return false;
        count = value;
        return true;
    }

    internal static bool TryParseLease(string? text, out TimeSpan? lease)
    {
        lease = null;
        if (string.IsNullOrWhiteSpace(text)) return true;
        if (!int.TryParse(text.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var seconds) || seconds <= 0) return false;
        lease = TimeSpan.FromSeconds(seconds);
        return true;
    }
}
