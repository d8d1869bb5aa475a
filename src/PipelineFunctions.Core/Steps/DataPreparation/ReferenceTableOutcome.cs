namespace PipelineFunctions.Core.Steps.DataPreparation;

public sealed record ReferenceTableOutcome(
    IReadOnlyList<StreamMapping> JobRoleStreams,
    IReadOnlyList<StreamMapping> SpecialisationStreams,
    IReadOnlyList<TheatreCapacity> Theatres,
    IReadOnlyDictionary<string, long> Counts);
