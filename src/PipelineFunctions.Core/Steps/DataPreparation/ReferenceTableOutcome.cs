namespace PipelineFunctions.Core.Steps.DataPreparation;

internal sealed record ReferenceTableOutcome(
    IReadOnlyList<StreamMapping> JobRoleStreams,
    IReadOnlyList<StreamMapping> SpecialisationStreams,
    IReadOnlyList<TheatreCapacity> Theatres,
    IReadOnlyDictionary<string, long> Counts);
