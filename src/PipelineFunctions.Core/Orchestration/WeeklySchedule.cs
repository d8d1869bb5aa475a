using NCrontab;

namespace PipelineFunctions.Core.Orchestration;

/// <summary>
/// The pure part of the weekly schedule: when the next run is due (an NCRONTAB expression with seconds, evaluated in
/// UTC like Azure Functions' timer trigger) and the instance id of an event's run for the ISO week of an occurrence.
/// The id is what keeps a week from running twice: creating an existing instance id is refused by the run store.
/// Both hosts use it: <c>pa serve</c>'s schedule and catch-up, and the Azure timer's firing, which may be late.
/// </summary>
public sealed class WeeklySchedule
{
    /// <summary>Sundays 04:00 UTC: the sample settings' and the Bicep default.</summary>
    public const string DefaultExpression = "0 0 4 * * 0";

    /// <summary>How far back a late firing is matched to the occurrence it stands for: a weekly schedule has one in any week.</summary>
    public static readonly TimeSpan LateFiringWindow = TimeSpan.FromDays(7);

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
                + $"({{second}} {{minute}} {{hour}} {{day}} {{month}} {{day-of-week}}, e.g. \"{DefaultExpression}\")";
        return CrontabSchedule.TryParse(expression, WithSeconds) is null ? $"'{expression}' is not a valid NCRONTAB expression" : null;
    }

    /// <summary>The first occurrence strictly after <paramref name="after"/>, in UTC.</summary>
    public DateTimeOffset NextAfter(DateTimeOffset after) =>
        new(DateTime.SpecifyKind(_cron.GetNextOccurrence(after.UtcDateTime), DateTimeKind.Utc));

    /// <summary>
    /// The latest occurrence at or before <paramref name="now"/> and no more than <paramref name="window"/> before it, in
    /// UTC; null when none is (or the window is zero).
    /// </summary>
    public DateTimeOffset? LatestWithin(DateTimeOffset now, TimeSpan window)
    {
        // NCRONTAB only counts forwards: look back over a span that doubles until it holds an occurrence or is the whole
        // window, so an every-second schedule is not enumerated over a week and a weekly one takes a dozen short scans.
        var end = now.UtcDateTime.AddTicks(1);
        var span = Min(TimeSpan.FromMinutes(1), window);
        while (span > TimeSpan.Zero)
        {
            // GetNextOccurrences yields the occurrences strictly after its start and before its end.
            var latest = _cron.GetNextOccurrences(now.UtcDateTime - span - TimeSpan.FromTicks(1), end).LastOrDefault();
            if (latest != default) return new DateTimeOffset(DateTime.SpecifyKind(latest, DateTimeKind.Utc));
            if (span == window) break;
            span = Min(span * 2, window);
        }
        return null;
    }

    /// <summary>
    /// The occurrence a timer firing at <paramref name="firedAt"/> stands for: the latest one at or before it (within
    /// <see cref="LateFiringWindow"/>), so a past-due firing after a restart names the week it was due in, not the week it
    /// ran in. A firing with no occurrence in the window (a schedule rarer than weekly) stands for itself.
    /// </summary>
    public DateTimeOffset OccurrenceFiredAt(DateTimeOffset firedAt) => LatestWithin(firedAt, LateFiringWindow) ?? firedAt;

    private static TimeSpan Min(TimeSpan a, TimeSpan b) => a < b ? a : b;

    /// <summary>weekly-&lt;event&gt;-&lt;ISO year&gt;-W&lt;ISO week, two digits&gt;, from the occurrence's UTC date.</summary>
    public static string InstanceId(string eventName, DateTimeOffset occurrence) => WeeklyRun.InstanceId(eventName, occurrence);
}
