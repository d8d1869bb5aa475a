namespace PipelineFunctions.LocalEngine.Runs;

/// <summary>Durable Functions' runtime statuses, as the management API spells them.</summary>
public static class RuntimeStatuses
{
    public const string Pending = "Pending", Running = "Running", Completed = "Completed", Failed = "Failed", Terminated = "Terminated";

    public static IReadOnlyList<string> All { get; } = [Pending, Running, Completed, Failed, Terminated];

    public static bool IsFinal(string status) => status is Completed or Failed or Terminated;
}
