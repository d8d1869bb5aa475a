namespace PipelineFunctions.Core.Steps.DataPreparation;

internal sealed record SessionOutcome(
    IReadOnlyList<PreparedSession> ThisYear,
    IReadOnlyList<PreparedSession> PastMain,
    IReadOnlyList<PreparedSession> PastSecondary,
    IReadOnlyList<QuarantinedSession> Quarantined,
    IReadOnlyList<KeyValuePair<string, string>> StreamCatalogue,
    IReadOnlyDictionary<string, long> Counts);
