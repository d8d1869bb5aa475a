using NCrontab;

namespace PipelineFunctions.LocalServer;

/// <summary>
/// The pure part of the weekly schedule: when the next run is due (an NCRONTAB expression with seconds, evaluated in
/// UTC like Azure Functions' timer trigger) and the instance id of an event's run for the ISO week of an occurrence.
/// The id is what keeps a week from running twice: creating an existing instance id is refused by the run store.
/// </summary>
public sealed class WeeklySchedule
{
    private static readonly CrontabSchedule.ParseOptions WithSeconds = new() { IncludingSeconds = true };

    private readonly CrontabSchedule _cron;

    public WeeklySchedule(string expression)
    {
        if (CronProblem(expression) is { } problem) throw new ArgumentException(problem, nameof(expression));
        Expression = expression;
        _cron = CrontabSchedule.Parse(expression, WithSeconds);
    }

    public string Expression { get; }

    /// <summary>Why the text is not a six-field NCRONTAB expression, or null.</summary>
    public static string? CronProblem(string expression)
    {
        if (expression.Split(' ', StringSplitOptions.RemoveEmptyEntries).Length != 6)
            return $"'{expression}' is not an NCRONTAB expression with six fields "
                + $"({{second}} {{minute}} {{hour}} {{day}} {{month}} {{day-of-week}}, e.g. \"{HostConfig.DefaultSchedule}\")";
        return CrontabSchedule.TryParse(expression, WithSeconds) is null ? $"'{expression}' is not a valid NCRONTAB expression" : null;
    }

    /// <summary>The first occurrence strictly after <paramref name="after"/>, in UTC.</summary>
    public DateTimeOffset NextAfter(DateTimeOffset after) =>
        new(DateTime.SpecifyKind(_cron.GetNextOccurrence(after.UtcDateTime), DateTimeKind.Utc));

    /// <summary>weekly-&lt;event&gt;-&lt;ISO year&gt;-W&lt;ISO week, two digits&gt;, from the occurrence's UTC date.</summary>
    public static string InstanceId(string eventName, DateTimeOffset occurrence) => Core.Orchestration.WeeklyRun.InstanceId(eventName, occurrence);
}
