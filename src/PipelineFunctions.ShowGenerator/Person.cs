namespace PipelineFunctions.ShowGenerator;

/// <summary>
/// Someone who registers for one or more of the shows. The same person keeps their name, email (up to case),
/// company, job title and persona across years; only badge ids, registration dates and email casing change.
/// </summary>
internal sealed class Person
{
    public required int Id { get; init; }
    public required string Forename { get; init; }
    public required string Surname { get; init; }
    /// <summary>Lower-case address; registrations write it in varying case.</summary>
    public required string Email { get; init; }
    public required Company Company { get; init; }
    public required string JobTitle { get; init; }
    public required string Country { get; init; }
    public required string Tel { get; init; }
    public required string Mobile { get; init; }
    public required Persona Persona { get; init; }
    /// <summary>The <see cref="SessionTopic"/> ids the person cares about: the persona's, then their own.</summary>
    public required IReadOnlyList<int> Topics { get; init; }
    /// <summary>Specialisation answers in the this-year vocabulary, the persona's first.</summary>
    public required IReadOnlyList<string> Specialisations { get; init; }
    /// <summary>Answers to the profile's extra kept questions, by question column.</summary>
    public required IReadOnlyDictionary<string, IReadOnlyList<string>> ExtraAnswers { get; init; }
}
