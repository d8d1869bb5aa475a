using Microsoft.Data.Sqlite;
using PipelineFunctions.Local.Commands;
using PipelineFunctions.Local.Tests.Support;
using PipelineFunctions.LocalEngine.Runs;

namespace PipelineFunctions.Local.Tests.Recovery;

/// <summary>`pa run` and `pa resume` execute their own run only: runs a dead process left unfinished are named, not taken over.</summary>
public sealed class ForegroundWarningTests : IDisposable
{
    private readonly TempFolder _temp = new();

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        _temp.Dispose();
    }

    [Fact]
    public async Task Pa_run_names_the_interrupted_runs_and_leaves_them_to_pa_serve_or_pa_resume()
    {
        var runs = new SqliteRunStore(_temp.Combine("runs.sqlite"));
        var now = DateTime.UtcNow;
        await CreateAsync(runs, "crashed", RuntimeStatuses.Running, now.AddMinutes(-10), ("dead-process", now.AddMinutes(-9)));
        await CreateAsync(runs, "never-started", RuntimeStatuses.Pending, now.AddMinutes(-5));
        await CreateAsync(runs, "elsewhere", RuntimeStatuses.Running, now.AddMinutes(-4), ("live-process", now.AddHours(1)));
        await CreateAsync(runs, "done", RuntimeStatuses.Completed, now.AddMinutes(-3));
        var input = _temp.Combine("input");
        SampleCopies.WithBadSessionDate(input);

        var error = new StringWriter();
        var exitCode = await PaCommandLine.RunAsync(["run", "--event", "vet_lva", "--input", input, "--instance-id", "mine",
            "--store", _temp.Combine("store"), "--graph", _temp.Combine("graph"), "--runs", _temp.Combine("runs.sqlite")], new StringWriter(), error);

        Assert.Equal(PaCommandLine.ExitInputError, exitCode);
        Assert.StartsWith("warning: 2 interrupted runs are not executing anywhere (crashed, never-started): "
            + "pa serve resumes them, or pa resume ID does" + Environment.NewLine, error.ToString());
        Assert.Single(error.ToString().Split('\n'), line => line.StartsWith("warning:", StringComparison.Ordinal));
        // Nothing of theirs ran: their status and (empty) history are as the dead process left them.
        foreach (var (id, status) in new[] { ("crashed", RuntimeStatuses.Running), ("never-started", RuntimeStatuses.Pending) })
        {
            Assert.Equal(status, (await runs.GetAsync(id))!.RuntimeStatus);
            Assert.Empty(await runs.GetHistoryAsync(id));
        }
        Assert.NotEmpty(await runs.GetHistoryAsync("mine"));
    }

    private static async Task CreateAsync(SqliteRunStore runs, string id, string status, DateTime created,
        (string Owner, DateTime Until)? lease = null)
    {
        Assert.True(await runs.TryCreateAsync(new RunInstance(id, "PipelineOrchestration", status, "{}", null, null, created, created, "vet_lva")));
        if (lease is { } held) Assert.True(await runs.TryAcquireLeaseAsync(id, held.Owner, held.Until, created));
    }
}
