namespace PipelineFunctions.Core.Orchestration.Notifications;

/// <summary>What the notification activity did: messages delivered, and a warning per message that was not.</summary>
public sealed record RunNotificationOutcome(int Delivered, IReadOnlyList<string> Warnings);
