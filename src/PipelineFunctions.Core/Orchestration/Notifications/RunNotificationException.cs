namespace PipelineFunctions.Core.Orchestration.Notifications;

/// <summary>A notification was not delivered. The message is safe to show anywhere: it never contains the webhook URL.</summary>
public sealed class RunNotificationException(string message) : Exception(message);
