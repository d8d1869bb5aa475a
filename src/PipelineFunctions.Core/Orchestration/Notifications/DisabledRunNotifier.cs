namespace PipelineFunctions.Core.Orchestration.Notifications;

/// <summary>No webhook configured: nothing is sent and nothing is said about it.</summary>
public sealed class DisabledRunNotifier : IRunNotifier
{
    public static DisabledRunNotifier Instance { get; } = new();

    public Task<bool> SendAsync(RunNotification notification, CancellationToken cancellationToken = default) => Task.FromResult(false);
}
