namespace PipelineFunctions.Core.Orchestration.Notifications;

/// <summary>One message about a run: what happened (<see cref="Kind"/>), for which run, and the text people read.</summary>
public sealed record RunNotification(string Kind, string RunId, string Event, string Text)
{
    public const string RunEnded = "run_ended", ModelPromoted = "model_promoted";
}
