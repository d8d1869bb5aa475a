using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Logging.Testing;
using Microsoft.Extensions.Time.Testing;
using PipelineFunctions.Core.Orchestration;
using PipelineFunctions.Local.Tests.Support;
using PipelineFunctions.LocalEngine;
using PipelineFunctions.LocalEngine.Runs;

namespace PipelineFunctions.LocalServer.Tests;

/// <summary>
/// A weekly occurrence missed while the server was down: made up on start when it lies within the catch-up window, once
/// per event however many servers start, and never as a burst of older ones. The schedule's clock is a fake one the
/// tests set; the runs it starts execute on the real engine and are stopped at the end of each test.
/// </summary>
public sealed class WeeklyCatchUpTests : IAsyncLifetime
{
    /// <summary>Sunday 2026-01-04 04:00 UTC: the default schedule's occurrence in ISO week 2026-W01.</summary>
    private static readonly DateTimeOffset Sunday = new(2026, 1, 4, 4, 0, 0, TimeSpan.Zero);

    private const string WeekOne = "weekly-vet_lva-2026-W01", WeekTwo = "weekly-vet_lva-2026-W02";

    /// <summary>Longest wait for anything the engine does: generous, the machine is small and shared with other tests.</summary>
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(3);

    private static readonly ScheduledEvent VetLva = new("vet_lva", "vet_lva");

    private readonly TempFolder _temp = new();
    private readonly InputsRoot _inputs;
    private readonly List<LocalHost> _hosts = [];

    public WeeklyCatchUpTests()
    {
        SampleCopies.CopyFolder(Repository.Sample("vet_lva"), _temp.Combine("inputs", "vet_lva"));
        _inputs = new InputsRoot(_temp.Combine("inputs"));
    }

    [Fact]
    public async Task An_occurrence_missed_within_the_window_is_started_once_and_said_so_on_the_log()
    {
        var clock = new FakeTimeProvider(Sunday.AddDays(2));
        var logger = new FakeLogger<WeeklyScheduleService>();
        var service = Service(Host(), clock, TimeSpan.FromDays(3), logger);

        var results = await service.CatchUpAsync(CancellationToken.None);

        Assert.Equal([(VetLva, Sunday, WeeklySubmissionResult.Started)], results);
        Assert.Equal([WeekOne], await InstanceIdsAsync());
        var line = Assert.Single(logger.Collector.GetSnapshot(), r => r.Level == LogLevel.Warning);
        Assert.Equal($"weekly run {WeekOne} missed at 2026-01-04 04:00:00Z (catch-up window 3.00:00:00): started now", line.Message);
        await StopAllAsync();
    }

    [Fact]
    public async Task An_occurrence_missed_before_the_window_is_not_made_up()
    {
        var service = Service(Host(), new FakeTimeProvider(Sunday.AddDays(3).AddMinutes(1)), TimeSpan.FromDays(3));

        Assert.Empty(await service.CatchUpAsync(CancellationToken.None));
        Assert.Empty(await InstanceIdsAsync());
    }

    [Fact]
    public async Task A_catch_up_window_of_zero_makes_nothing_up()
    {
        var service = Service(Host(), new FakeTimeProvider(Sunday.AddMinutes(5)), TimeSpan.Zero);

        Assert.Empty(await service.CatchUpAsync(CancellationToken.None));
        Assert.Empty(await InstanceIdsAsync());
    }

    [Fact]
    public async Task Of_several_missed_occurrences_only_the_latest_is_made_up()
    {
        // Down for nine days over two Sundays, with a window reaching back past both: one run, for the second week.
        var service = Service(Host(), new FakeTimeProvider(Sunday.AddDays(9)), TimeSpan.FromDays(15));

        var results = await service.CatchUpAsync(CancellationToken.None);

        Assert.Equal([(VetLva, Sunday.AddDays(7), WeeklySubmissionResult.Started)], results);
        Assert.Equal([WeekTwo], await InstanceIdsAsync());
        await StopAllAsync();
    }

    [Fact]
    public async Task An_occurrence_whose_instance_exists_already_is_not_started_again()
    {
        var host = Host();
        await Submitter(host).SubmitAsync(VetLva, Sunday);
        var logger = new FakeLogger<WeeklyScheduleService>();
        var service = Service(host, new FakeTimeProvider(Sunday.AddHours(1)), TimeSpan.FromDays(1), logger);

        var results = await service.CatchUpAsync(CancellationToken.None);

        Assert.Equal([(VetLva, Sunday, WeeklySubmissionResult.AlreadyExists)], results);
        Assert.Equal([WeekOne], await InstanceIdsAsync());
        Assert.DoesNotContain(logger.Collector.GetSnapshot(), r => r.Level >= LogLevel.Warning);
        await StopAllAsync();
    }

    [Fact]
    public async Task Restarting_after_a_catch_up_starts_nothing_new()
    {
        var clock = new FakeTimeProvider(Sunday.AddDays(1));
        var first = Service(Host(), clock, TimeSpan.FromDays(7));
        Assert.Equal(WeeklySubmissionResult.Started, Assert.Single(await first.CatchUpAsync(CancellationToken.None)).Result);

        // The same run store in a new process an hour later.
        clock.Advance(TimeSpan.FromHours(1));
        var restarted = Service(Host(), clock, TimeSpan.FromDays(7));
        Assert.Equal(WeeklySubmissionResult.AlreadyExists, Assert.Single(await restarted.CatchUpAsync(CancellationToken.None)).Result);

        Assert.Equal([WeekOne], await InstanceIdsAsync());
        await StopAllAsync();
    }

    [Fact]
    public async Task Two_servers_starting_together_on_one_run_store_make_the_occurrence_up_once()
    {
        var clock = new FakeTimeProvider(Sunday.AddDays(2));
        var services = new[] { Service(Host(), clock, TimeSpan.FromDays(7)), Service(Host(), clock, TimeSpan.FromDays(7)) };
        var go = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

        var catchUps = services.Select(service => Task.Run(async () =>
        {
            await go.Task;
            return await service.CatchUpAsync(CancellationToken.None);
        })).ToList();
        go.SetResult();
        var results = (await Task.WhenAll(catchUps)).Select(r => Assert.Single(r).Result).Order().ToList();

        Assert.Equal([WeeklySubmissionResult.Started, WeeklySubmissionResult.AlreadyExists], results);
        Assert.Equal([WeekOne], await InstanceIdsAsync());
        await StopAllAsync();
    }

    [Fact]
    public async Task The_service_catches_up_on_start_and_then_keeps_to_the_schedule()
    {
        var clock = new FakeTimeProvider(Sunday.AddDays(2));
        var service = Service(Host(), clock, TimeSpan.FromDays(7));

        await service.StartAsync(CancellationToken.None);
        try
        {
            await WaitForAsync(async () => await InstanceIdsAsync() is [WeekOne], "the missed week's run was not made up on start");
            await WaitForAsync(() => Task.FromResult(service.NextOccurrence == Sunday.AddDays(7)), "the service did not wait for next Sunday");

            clock.SetUtcNow(Sunday.AddDays(7));
            // Time goes on: a wait the service began just before the clock was set ends when the clock passes it.
            await WaitForAsync(async () =>
            {
                if (await InstanceIdsAsync() is [WeekOne, WeekTwo]) return true;
                clock.Advance(TimeSpan.FromMinutes(10));
                return false;
            }, "next Sunday's run was not started");
            await WaitForAsync(() => Task.FromResult(service.NextOccurrence == Sunday.AddDays(14)), "the service did not go on to the week after");
        }
        finally
        {
            await service.StopAsync(CancellationToken.None);
        }
        await StopAllAsync();
    }

    [Theory]
    [InlineData("3d", 3 * 24 * 60)]
    [InlineData("36h", 36 * 60)]
    [InlineData("90m", 90)]
    [InlineData("0", 0)]
    [InlineData("none", 0)]
    [InlineData("off", 0)]
    public void Host_yaml_sets_the_catch_up_window(string value, int minutes)
    {
        var config = HostConfigLoader.Parse($"catch_up: {value}\nevents:\n  - event: vet_lva\n", "host.yaml");
        Assert.Equal(TimeSpan.FromMinutes(minutes), config.CatchUp);
    }

    [Fact]
    public void Without_catch_up_in_host_yaml_the_window_is_a_week() =>
        Assert.Equal(TimeSpan.FromDays(7), HostConfigLoader.Parse("events:\n  - event: vet_lva\n", "host.yaml").CatchUp);

    [Theory]
    [InlineData("3")]
    [InlineData("3 days")]
    [InlineData("-1d")]
    [InlineData("1.5d")]
    [InlineData("367d")]
    [InlineData("99999999999h")]
    [InlineData("[1d]")]
    public void A_bad_catch_up_window_is_refused_naming_host_yaml_and_the_key(string value)
    {
        var e = Assert.Throws<Core.PipelineInputException>(() => HostConfigLoader.Parse($"catch_up: {value}\n", "config/host.yaml"));
        Assert.Equal("config/host.yaml", e.File);
        Assert.Equal("catch_up", e.Field);
    }

    [Theory]
    [InlineData("2026-01-07T10:00:00Z", 7, "2026-01-04T04:00:00Z")]
    [InlineData("2026-01-04T04:00:00Z", 1, "2026-01-04T04:00:00Z")] // at the occurrence itself
    [InlineData("2026-01-07T04:00:00Z", 3, "2026-01-04T04:00:00Z")] // exactly the window's length after it
    [InlineData("2026-01-07T04:00:01Z", 3, null)]
    [InlineData("2026-01-04T03:59:59Z", 6, null)]
    [InlineData("2026-01-13T00:00:00Z", 15, "2026-01-11T04:00:00Z")]
    public void The_latest_occurrence_within_the_window_is_found(string now, int days, string? expected)
    {
        var found = new WeeklySchedule(HostConfig.DefaultSchedule).LatestWithin(Parse(now), TimeSpan.FromDays(days));
        Assert.Equal(expected is null ? null : Parse(expected), found);
    }

    [Fact]
    public void An_every_second_schedule_finds_the_latest_second_quickly() =>
        Assert.Equal(Parse("2026-01-04T04:00:00Z"),
            new WeeklySchedule("* * * * * *").LatestWithin(Parse("2026-01-04T04:00:00.5Z"), TimeSpan.FromDays(366)));

    private static DateTimeOffset Parse(string text) => DateTimeOffset.Parse(text, System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>A local host over this test's run store: each one acts as a server process.</summary>
    private LocalHost Host()
    {
        var host = TestLocalHost.Open(_temp.Path, openInput: _inputs.Open);
        _hosts.Add(host);
        return host;
    }

    private WeeklyRunSubmitter Submitter(LocalHost host) =>
        new(host.Runner, new SubmissionValidator(new EventCatalog(Repository.Root), _inputs, host.Services.LoadConfig),
            NullLogger<WeeklyRunSubmitter>.Instance);

    private WeeklyScheduleService Service(LocalHost host, TimeProvider clock, TimeSpan catchUp, ILogger<WeeklyScheduleService>? logger = null) =>
        new(new HostConfig(HostConfig.DefaultSchedule, [VetLva]) { CatchUp = catchUp }, Submitter(host), clock,
            logger ?? NullLogger<WeeklyScheduleService>.Instance);

    private async Task<List<string>> InstanceIdsAsync() =>
        [.. (await _hosts[0].RunStore.ListAsync(new RunQuery(Top: 100))).Select(i => i.InstanceId).Order(StringComparer.Ordinal)];

    private static async Task WaitForAsync(Func<Task<bool>> condition, string failure)
    {
        var deadline = DateTime.UtcNow + Timeout;
        while (!await condition())
        {
            Assert.True(DateTime.UtcNow < deadline, failure);
            await Task.Delay(50);
        }
    }

    /// <summary>The weekly runs themselves are not under test: stop each once it left Pending and wait for its execution to end.</summary>
    private async Task StopAllAsync()
    {
        foreach (var id in await InstanceIdsAsync())
        {
            // Terminate once it left Pending: the runner's switch to Running would overwrite an earlier terminate.
            await WaitForAsync(async () => (await _hosts[0].RunStore.GetAsync(id))?.RuntimeStatus != RuntimeStatuses.Pending,
                $"{id} stayed Pending");
            await _hosts[0].Runner.TerminateAsync(id, "test over");
            foreach (var host in _hosts) await host.Runner.WaitAsync(id);
        }
    }

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        foreach (var host in _hosts) await host.DisposeAsync();
        _temp.Dispose();
    }
}
