namespace PipelineFunctions.Core.Steps.DataPreparation;

internal sealed record RegistrationOutcome(
    IReadOnlyList<string> QuestionColumns,
    IReadOnlyList<PreparedVisitor> ThisYear,
    IReadOnlyList<PreparedVisitor> PastMain,
    IReadOnlyList<PreparedVisitor> PastSecondary,
    IReadOnlyDictionary<string, long> Counts)
{
    /// <summary>Every valid registration of last year's two shows (not only the returning ones): the population drift compares with.</summary>
    public IReadOnlyList<PreparedVisitor> RegisteredPast { get; init; } = [];
}
