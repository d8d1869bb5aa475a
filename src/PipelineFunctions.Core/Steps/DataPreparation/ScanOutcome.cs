namespace PipelineFunctions.Core.Steps.DataPreparation;

internal sealed record ScanOutcome(IReadOnlyList<AttendedSession> Attended, IReadOnlyDictionary<string, long> Counts);
