namespace PipelineFunctions.Core.Events;

public sealed class BusinessRules
{
    public bool Enabled { get; init; } = true;
    public required List<string> VetRoles { get; init; }
    public required List<string> NurseRoles { get; init; }
    public List<string> EquineMixedExclusions { get; init; } = [];
    public List<string> SmallAnimalExclusions { get; init; } = [];
    public List<string> VetExclusions { get; init; } = [];
    public List<string> NurseStreams { get; init; } = [];
    /// <summary>Sessions in these streams need one of the keywords in the visitor's Company or JobTitle.</summary>
    public List<string> EquineStreamKeywords { get; init; } = [];
    public List<string> EquineVisitorKeywords { get; init; } = [];
    public List<string> EquineBlockedTitleKeywords { get; init; } = [];
}
