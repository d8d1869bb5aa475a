namespace PipelineFunctions.Core.Steps.DataPreparation;

public sealed record ScanOutcome(IReadOnlyList<AttendedSession> Attended, IReadOnlyDictionary<string, long> Counts);
