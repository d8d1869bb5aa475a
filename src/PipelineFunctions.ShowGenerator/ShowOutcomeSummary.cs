namespace PipelineFunctions.ShowGenerator;

/// <summary>What `pa generate --uplift` wrote: this year's scans and their reference, and whom they cover.</summary>
public sealed record ShowOutcomeSummary(string EventName, string RecommendationsRunId, double Uplift, int Seed, string Folder,
    int TreatedVisitors, int ControlVisitors, IReadOnlyList<GeneratedFile> Files);
