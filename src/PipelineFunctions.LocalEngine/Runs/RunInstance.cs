namespace PipelineFunctions.LocalEngine.Runs;

/// <summary>An orchestration instance as the run store keeps it; JSON documents are stored as text.</summary>
public sealed record RunInstance(
    string InstanceId, string Name, string RuntimeStatus, string InputJson, string? CustomStatusJson, string? OutputJson,
    DateTime CreatedTime, DateTime LastUpdatedTime, string? Event);
