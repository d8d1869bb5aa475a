using System.Globalization;
using PipelineFunctions.Core.Orchestration;

namespace PipelineFunctions.Core.Tests.Orchestration;

/// <summary>Which occurrence of the weekly schedule a timer firing stands for: the week a late firing names.</summary>
public sealed class WeeklyScheduleOccurrenceTests
{
    private static readonly WeeklySchedule Sundays = new(WeeklySchedule.DefaultExpression);

    [Theory]
    [InlineData("2026-11-29T04:00:00Z", "2026-11-29T04:00:00Z")] // on time
    [InlineData("2026-11-29T04:00:02.5Z", "2026-11-29T04:00:00Z")] // a few seconds late
    [InlineData("2026-11-30T01:15:00Z", "2026-11-29T04:00:00Z")] // past due on Monday: still Sunday's
    [InlineData("2026-12-06T03:59:59Z", "2026-11-29T04:00:00Z")] // a week late, a second before the next one
    [InlineData("2026-12-06T04:00:00Z", "2026-12-06T04:00:00Z")]
    public void A_firing_stands_for_the_latest_occurrence_at_or_before_it(string firedAt, string expected) =>
        Assert.Equal(Parse(expected), Sundays.OccurrenceFiredAt(Parse(firedAt)));

    [Fact]
    public void A_past_due_Monday_firing_names_the_missed_Sundays_ISO_week_not_its_own()
    {
        var monday = Parse("2026-11-30T01:15:00Z");
        Assert.Equal("weekly-vet_lva-2026-W49", WeeklyRun.InstanceId("vet_lva", monday));
        Assert.Equal("weekly-vet_lva-2026-W48", WeeklyRun.InstanceId("vet_lva", Sundays.OccurrenceFiredAt(monday)));
    }

    [Fact]
    public void A_firing_with_no_occurrence_in_the_week_before_it_stands_for_itself()
    {
        var yearly = new WeeklySchedule("0 0 4 1 1 *"); // 1 January only
        var firedAt = Parse("2026-06-15T12:00:00Z");
        Assert.Equal(firedAt, yearly.OccurrenceFiredAt(firedAt));
    }

    private static DateTimeOffset Parse(string text) => DateTimeOffset.Parse(text, CultureInfo.InvariantCulture);
}
