using PipelineFunctions.Core.Orchestration;

namespace PipelineFunctions.Hosting;

/// <summary>
/// The weekly retraining run of an event: incremental, with ranker retraining, under an instance id fixed by the ISO
/// week, so a week runs once per event however often the timer fires (restarts, scale-out, a missed run caught up).
/// No Functions SDK type here: tested offline.
/// </summary>
public static class WeeklyRuns
{
    /// <summary>weekly-&lt;event&gt;-&lt;ISO year&gt;-W&lt;ISO week, two digits&gt;, from the occurrence's UTC date (the local host's ids).</summary>
    public static string InstanceId(string eventName, DateTimeOffset occurrence) => WeeklyRun.InstanceId(eventName, occurrence);

    public static PipelineRunRequest Request(WeeklyEvent weekly) => WeeklyRun.Request(weekly.Event, weekly.Input);

    /// <summary>
    /// Whether scheduling failed because the instance exists: Durable reports it as OrchestrationAlreadyExistsException
    /// (DurableTask.Core), as a gRPC AlreadyExists status from the host, or as an InvalidOperationException "... already
    /// exists", depending on the backend and version; matched by type name, status and message, inner exceptions included.
    /// </summary>
    public static bool IsAlreadyExists(Exception? error)
    {
        for (var e = error; e is not null; e = e.InnerException)
        {
            if (e.GetType().Name == "OrchestrationAlreadyExistsException") return true;
            if (e.GetType().Name == "RpcException" && e.GetType().GetProperty("StatusCode")?.GetValue(e)?.ToString() == "AlreadyExists") return true;
            if (e.Message.Contains("already exists", StringComparison.OrdinalIgnoreCase)) return true;
        }
        return false;
    }
}
