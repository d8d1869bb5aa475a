namespace PipelineFunctions.LocalServer;

/// <summary>config/host.yaml: when the weekly runs happen (NCRONTAB with seconds, UTC) and for which events.</summary>
public sealed record HostConfig(string Schedule, IReadOnlyList<ScheduledEvent> Events)
{
    /// <summary>Sunday 04:00 UTC, in the six-field form Azure Functions' timer trigger uses.</summary>
    public const string DefaultSchedule = "0 0 4 * * 0";

    public const string FileName = "config/host.yaml";

    public static HostConfig Default { get; } = new(DefaultSchedule, []);
}
