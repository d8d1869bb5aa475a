namespace PipelineFunctions.LocalEngine.Orchestration;

/// <summary>An instance id is taken already.</summary>
public sealed class InstanceExistsException(string instanceId) : Exception($"an instance with id '{instanceId}' exists already")
{
    public string InstanceId { get; } = instanceId;
}
