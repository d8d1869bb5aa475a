namespace PipelineFunctions.Core.Events;

public sealed class StreamSettings
{
    /// <summary>Stream descriptions for the catalogue; a stream without one is described by its name.</summary>
    public Dictionary<string, string> Descriptions { get; init; } = [];
    /// <summary>Maps specialisation answers onto the specialisation matrix's rows, per visitor group.</summary>
    public SpecialisationMaps SpecialisationMaps { get; init; } = new();
}
