using PipelineFunctions.Core;
using PipelineFunctions.Core.Orchestration;
using PipelineFunctions.Local.Tests.Support;

namespace PipelineFunctions.LocalServer.Tests;

/// <summary>The schedule's pure parts: ISO-week instance ids, next occurrences of the NCRONTAB expression, host.yaml.</summary>
public sealed class WeeklyScheduleTests
{
    [Theory]
    [InlineData("2026-01-01T00:00:00Z", "weekly-vet_lva-2026-W01")] // a Thursday: week 1 of 2026
    [InlineData("2027-01-01T12:00:00Z", "weekly-vet_lva-2026-W53")] // a Friday: still in 2026's 53rd week
    [InlineData("2024-12-30T04:00:00Z", "weekly-vet_lva-2025-W01")] // a Monday: already 2025's first week
    [InlineData("2026-01-04T04:00:00Z", "weekly-vet_lva-2026-W01")] // the first weekly run of 2026, a Sunday
    [InlineData("2026-11-29T04:00:00Z", "weekly-vet_lva-2026-W48")]
    public void The_instance_id_is_the_ISO_year_and_week_of_the_occurrence(string occurrence, string expected) =>
        Assert.Equal(expected,
            WeeklySchedule.InstanceId("vet_lva", DateTimeOffset.Parse(occurrence, System.Globalization.CultureInfo.InvariantCulture)));

    [Fact]
    public void The_ISO_week_is_taken_from_the_UTC_date()
    {
        // Sunday 23:30 in UTC-2 is Monday 01:30 UTC: the next ISO week.
        Assert.Equal("weekly-ecomm-2026-W02", WeeklySchedule.InstanceId("ecomm", new DateTimeOffset(2026, 1, 4, 23, 30, 0, TimeSpan.FromHours(-2))));
    }

    [Theory]
    [InlineData("2026-11-22T22:59:00Z", "2026-11-29T04:00:00Z")] // a Sunday evening: next Sunday
    [InlineData("2026-11-29T03:59:59Z", "2026-11-29T04:00:00Z")] // a second before: the same morning
    [InlineData("2026-11-29T04:00:00Z", "2026-12-06T04:00:00Z")] // exactly at it: strictly after, a week on
    [InlineData("2026-12-31T10:00:00Z", "2027-01-03T04:00:00Z")] // across the year
    [InlineData("2026-11-29T05:30:00+02:00", "2026-11-29T04:00:00Z")] // 03:30 UTC
    public void The_default_schedule_is_Sunday_0400_UTC(string after, string expected)
    {
        var schedule = new WeeklySchedule(HostConfig.DefaultSchedule);
        var next = schedule.NextAfter(DateTimeOffset.Parse(after, System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal(DateTimeOffset.Parse(expected, System.Globalization.CultureInfo.InvariantCulture), next);
        Assert.Equal(TimeSpan.Zero, next.Offset);
        Assert.Equal(DayOfWeek.Sunday, next.DayOfWeek);
    }

    [Theory]
    [InlineData("0 4 * * 0")] // five fields: no seconds
    [InlineData("0 0 25 * * 0")]
    [InlineData("every sunday")]
    public void A_schedule_that_is_not_six_field_NCRONTAB_is_refused(string expression)
    {
        Assert.NotNull(WeeklySchedule.CronProblem(expression));
        var e = Assert.Throws<PipelineInputException>(() => HostConfigLoader.Parse($"schedule: \"{expression}\"\n", "host.yaml"));
        Assert.Equal("schedule", e.Field);
    }

    [Fact]
    public void The_committed_host_config_runs_vet_lva_weekly_on_Sunday_0400_UTC()
    {
        var config = HostConfigLoader.Load(Path.Combine(Repository.Root, HostConfig.FileName));
        Assert.Equal(HostConfig.DefaultSchedule, config.Schedule);
        Assert.Contains(new ScheduledEvent("vet_lva", "vet_lva"), config.Events);
        foreach (var scheduled in config.Events)
            Assert.True(File.Exists(Path.Combine(Repository.Root, "config", "events", scheduled.Event + ".yaml")), scheduled.Event);
    }

    [Fact]
    public void An_event_without_input_takes_the_folder_named_like_it()
    {
        var config = HostConfigLoader.Parse("events:\n  - event: ecomm\n", "host.yaml");
        Assert.Equal(HostConfig.DefaultSchedule, config.Schedule);
        Assert.Equal(new[] { new ScheduledEvent("ecomm", "ecomm") }, config.Events);
    }

    [Theory]
    [InlineData("schedule: \"0 0 4 * * 0\"\nextra: 1\n", "extra")]
    [InlineData("events:\n  - event: vet_lva\n    input: ../x\n", "events[0].input")]
    [InlineData("events:\n  - event: vet_lva\n    input: /data\n", "events[0].input")]
    [InlineData("events:\n  - event: ../vet_lva\n", "events[0].event")]
    [InlineData("events:\n  - event: vet_lva\n    retrain: false\n", "events[0].retrain")]
    [InlineData("events:\n  - event: vet_lva\n  - event: vet_lva\n", "events")]
    [InlineData("events: vet_lva\n", "events")]
    public void A_bad_host_config_is_refused_naming_the_key(string yaml, string field)
    {
        var e = Assert.Throws<PipelineInputException>(() => HostConfigLoader.Parse(yaml, "host.yaml"));
        Assert.Equal("host.yaml", e.File);
        Assert.Equal(field, e.Field);
    }
}
