using System.Text.Json;
using Microsoft.Extensions.Logging.Abstractions;
using PipelineFunctions.Core.Artifacts;
using PipelineFunctions.Core.Orchestration;
using PipelineFunctions.Local.Tests.Support;
using PipelineFunctions.LocalEngine;
using PipelineFunctions.LocalEngine.Runs;

namespace PipelineFunctions.LocalServer.Tests;

/// <summary>
/// Weekly submissions: one run per event and ISO week, however many starts race for it. The tests of a class run one
/// after another, so the runs they start never compete with each other for the machine's cores.
/// </summary>
public sealed class WeeklyRunTests : IDisposable
{
    private static readonly DateTimeOffset Sunday = new(2026, 1, 4, 4, 0, 0, TimeSpan.Zero);

    /// <summary>Longest wait for a run to leave Pending: generous, the machine is small and shared with other tests.</summary>
    private static readonly TimeSpan RunTimeout = TimeSpan.FromMinutes(3);

    private readonly TempFolder _temp = new();
    private readonly InputsRoot _inputs;

    public WeeklyRunTests()
    {
        SampleCopies.CopyFolder(Repository.Sample("vet_lva"), _temp.Combine("inputs", "vet_lva"));
        _inputs = new InputsRoot(_temp.Combine("inputs"));
    }

    /// <summary>A local host over this test's store, graph and run store: two of them act as two server processes.</summary>
    private LocalHost Host(TimeProvider? time = null) =>
        TestLocalHost.Open(_temp.Path, openInput: _inputs.Open, time: time);

    private WeeklyRunSubmitter Submitter(LocalHost host) =>
        new(host.Runner, new SubmissionValidator(new EventCatalog(Repository.Root), _inputs, host.Services.LoadConfig),
            NullLogger<WeeklyRunSubmitter>.Instance);

    [Fact]
    public async Task Twenty_concurrent_weekly_starts_for_one_week_create_exactly_one_run()
    {
        await using var first = Host();
        await using var second = Host();
        var submitters = new[] { Submitter(first), Submitter(second) };
        var scheduled = new ScheduledEvent("vet_lva", "vet_lva");
        var go = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

        var starts = Enumerable.Range(0, 20).Select(i => Task.Run(async () =>
        {
            await go.Task;
            return await submitters[i % 2].SubmitAsync(scheduled, Sunday);
        })).ToList();
        go.SetResult();
        var results = await Task.WhenAll(starts);

        Assert.Equal(1, results.Count(r => r == WeeklySubmissionResult.Started));
        Assert.Equal(19, results.Count(r => r == WeeklySubmissionResult.AlreadyExists));
        var instances = await first.RunStore.ListAsync(new RunQuery(Top: 100));
        var instance = Assert.Single(instances);
        Assert.Equal("weekly-vet_lva-2026-W01", instance.InstanceId);
        var input = JsonSerializer.Deserialize<PipelineRunInput>(instance.InputJson, PipelineJson.Options)!;
        Assert.True(input.Request.Incremental);
        Assert.True(input.Request.Retrain);
        Assert.Equal("vet_lva", input.Request.Input);

        // A later start in the same week (say, after a restart) is a no-op too.
        Assert.Equal(WeeklySubmissionResult.AlreadyExists, await submitters[0].SubmitAsync(scheduled, Sunday.AddDays(-3)));
        await StopAsync(instance.InstanceId, first, second);
    }

    [Fact]
    public async Task A_weekly_event_whose_input_folder_is_missing_is_rejected_and_creates_nothing()
    {
        await using var host = Host();
        var result = await Submitter(host).SubmitAsync(new ScheduledEvent("vet_lva", "not_there"), Sunday);
        Assert.Equal(WeeklySubmissionResult.Rejected, result);
        Assert.Empty(await host.RunStore.ListAsync(new RunQuery()));
    }

    [Fact]
    public async Task The_service_submits_each_configured_event_when_the_occurrence_comes()
    {
        var clock = new ShiftedTimeProvider();
        await using var host = Host(clock);
        var service = new WeeklyScheduleService(new HostConfig(HostConfig.DefaultSchedule, [new ScheduledEvent("vet_lva", "vet_lva")]),
            Submitter(host), clock, NullLogger<WeeklyScheduleService>.Instance);

        // Two seconds before a Sunday 04:00 UTC, set just before the start; timers run in real time, so the wait is two seconds.
        clock.Set(Sunday.AddSeconds(-2));
        await service.StartAsync(CancellationToken.None);
        try
        {
            var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
            while (await host.RunStore.GetAsync("weekly-vet_lva-2026-W01") is null)
            {
                Assert.True(DateTime.UtcNow < deadline, "the weekly run was not submitted within 30 s of its occurrence");
                await Task.Delay(100);
            }
            Assert.Equal(Sunday.AddDays(7), service.NextOccurrence);
        }
        finally
        {
            await service.StopAsync(CancellationToken.None);
        }
        await StopAsync("weekly-vet_lva-2026-W01", host);
    }

    /// <summary>The weekly run itself is not under test here: stop it and wait for its execution to end.</summary>
    private static async Task StopAsync(string instanceId, params LocalHost[] hosts)
    {
        // Terminate once it left Pending: the runner's switch to Running would overwrite an earlier terminate.
        var deadline = DateTime.UtcNow + RunTimeout;
        while ((await hosts[0].RunStore.GetAsync(instanceId))?.RuntimeStatus == RuntimeStatuses.Pending && DateTime.UtcNow < deadline)
            await Task.Delay(20);
        await hosts[0].Runner.TerminateAsync(instanceId, "test over");
        foreach (var host in hosts) await host.Runner.WaitAsync(instanceId);
    }

    public void Dispose() => _temp.Dispose();

    /// <summary>The system clock moved to a chosen time; time then passes at the real rate, and timers are real ones.</summary>
    private sealed class ShiftedTimeProvider : TimeProvider
    {
        private TimeSpan _shift;

        public void Set(DateTimeOffset now) => _shift = now - System.GetUtcNow();

        public override DateTimeOffset GetUtcNow() => System.GetUtcNow() + _shift;
    }
}
