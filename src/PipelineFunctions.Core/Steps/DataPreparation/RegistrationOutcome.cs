namespace PipelineFunctions.Core.Steps.DataPreparation;

internal sealed record RegistrationOutcome(
    IReadOnlyList<string> QuestionColumns,
    IReadOnlyList<PreparedVisitor> ThisYear,
    IReadOnlyList<PreparedVisitor> PastMain,
    IReadOnlyList<PreparedVisitor> PastSecondary,
    IReadOnlyDictionary<string, long> Counts);
