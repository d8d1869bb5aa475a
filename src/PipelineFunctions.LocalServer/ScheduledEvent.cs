namespace PipelineFunctions.LocalServer;

/// <summary>One event the weekly schedule runs, with its input folder relative to the inputs root.</summary>
public sealed record ScheduledEvent(string Event, string Input);
