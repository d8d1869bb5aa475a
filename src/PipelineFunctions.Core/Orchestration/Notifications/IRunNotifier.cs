namespace PipelineFunctions.Core.Orchestration.Notifications;

/// <summary>
/// Where a run's end and a model promotion are announced (a Teams or Slack incoming webhook in both hosts). Called
/// from an activity only: the orchestration does no I/O.
/// </summary>
public interface IRunNotifier
{
    /// <summary>Delivers the message; false when no destination is configured (nothing was sent, silently).</summary>
    /// <exception cref="RunNotificationException">Not delivered; the message names neither the URL nor any part of it
    /// beyond its host.</exception>
    Task<bool> SendAsync(RunNotification notification, CancellationToken cancellationToken = default);
}
