namespace PipelineFunctions.Core.Events;

public sealed class SpecialisationMaps
{
    public Dictionary<string, string> ThisYear { get; init; } = [];
    public Dictionary<string, string> PastMain { get; init; } = [];
    public Dictionary<string, string> PastSecondary { get; init; } = [];
}
