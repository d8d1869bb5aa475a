using PipelineFunctions.Core.Orchestration;

namespace PipelineFunctions.LocalServer;

/// <summary>config/host.yaml: when the weekly runs happen (NCRONTAB with seconds, UTC) and for which events.</summary>
public sealed record HostConfig(string Schedule, IReadOnlyList<ScheduledEvent> Events)
{
    /// <summary>Sunday 04:00 UTC, in the six-field form Azure Functions' timer trigger uses.</summary>
    public const string DefaultSchedule = WeeklySchedule.DefaultExpression;

    public const string FileName = "config/host.yaml";

    /// <summary>
    /// One period of the default weekly schedule: a server that starts within a week of an occurrence it missed makes that
    /// occurrence up, so a week is never skipped because the server was down over Sunday.
    /// </summary>
    public static readonly TimeSpan DefaultCatchUp = TimeSpan.FromDays(7);

    public static HostConfig Default { get; } = new(DefaultSchedule, []);

    /// <summary>
    /// How far back, on start, the latest occurrence the server missed is still made up (host.yaml `catch_up`);
    /// <see cref="TimeSpan.Zero"/>: never.
    /// </summary>
    public TimeSpan CatchUp { get; init; } = DefaultCatchUp;
}
