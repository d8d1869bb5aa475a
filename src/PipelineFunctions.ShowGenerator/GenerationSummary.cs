namespace PipelineFunctions.ShowGenerator;

/// <summary>What `pa generate` wrote, for the command's summary and for tests.</summary>
public sealed record GenerationSummary(
    string EventName,
    GenerationProfileKind Profile,
    int Seed,
    string Folder,
    int VisitorsThisYear,
    int ReturningVisitors,
    IReadOnlyList<GeneratedFile> Files);
