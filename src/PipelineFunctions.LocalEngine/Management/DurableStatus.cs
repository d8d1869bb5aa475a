using System.Text.Json.Nodes;
using PipelineFunctions.LocalEngine.Runs;

namespace PipelineFunctions.LocalEngine.Management;

/// <summary>
/// An instance in Durable Functions' HTTP status shape (name, instanceId, runtimeStatus, input, customStatus, output,
/// createdTime, lastUpdatedTime), so one client script works against both hosts.
/// </summary>
public sealed record DurableStatus(
    string Name, string InstanceId, string RuntimeStatus, JsonNode? Input, JsonNode? CustomStatus, JsonNode? Output,
    DateTime CreatedTime, DateTime LastUpdatedTime)
{
    public static DurableStatus From(RunInstance instance) => new(instance.Name, instance.InstanceId, instance.RuntimeStatus,
        Parse(instance.InputJson), Parse(instance.CustomStatusJson), Parse(instance.OutputJson), instance.CreatedTime, instance.LastUpdatedTime);

    private static JsonNode? Parse(string? json) => json is null ? null : JsonNode.Parse(json);
}
