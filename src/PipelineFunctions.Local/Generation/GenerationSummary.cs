namespace PipelineFunctions.Local.Generation;

/// <summary>One file the generator wrote: its name (from the event config), data rows (JSON objects or CSV records) and size.</summary>
public sealed record GeneratedFile(string Name, long Rows, long Bytes);

/// <summary>What `pa generate` wrote, for the command's summary and for tests.</summary>
public sealed record GenerationSummary(
    string EventName,
    GenerationProfileKind Profile,
    int Seed,
    string Folder,
    int VisitorsThisYear,
    int ReturningVisitors,
    IReadOnlyList<GeneratedFile> Files);
