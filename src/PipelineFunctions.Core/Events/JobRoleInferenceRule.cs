namespace PipelineFunctions.Core.Events;

public sealed class JobRoleInferenceRule
{
    public required List<string> Keywords { get; init; }
    public required string Role { get; init; }
}
