namespace PipelineFunctions.Core.Steps.DataPreparation;

public sealed record RegistrationOutcome(
    IReadOnlyList<string> QuestionColumns,
    IReadOnlyList<PreparedVisitor> ThisYear,
    IReadOnlyList<PreparedVisitor> PastMain,
    IReadOnlyList<PreparedVisitor> PastSecondary,
    IReadOnlyDictionary<string, long> Counts);
