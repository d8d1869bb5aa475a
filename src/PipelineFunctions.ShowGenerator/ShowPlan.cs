namespace PipelineFunctions.ShowGenerator;

/// <summary>
/// One show of the input set: its refs, days, and how its visitors answer the demographic questions
/// (LVS shows ask "What type does your practice specialise in?", BVA shows "What areas do you specialise in?"
/// with their own words such as "Companion Animal").
/// </summary>
/// <param name="KeptQuestions">The config's kept questions this show asks, in config order.</param>
/// <param name="SpecialisationQuestion">The kept question holding the practice type / solutions, if this show asks one.</param>
/// <param name="SpecialisationWords">Specialisation (this-year vocabulary) -> the words this show's visitors answer with, sorted.</param>
internal sealed record ShowPlan(
    ShowRole Role,
    IReadOnlyList<string> ShowRefs,
    IReadOnlyList<DateOnly> Days,
    IReadOnlyList<string> KeptQuestions,
    string? SpecialisationQuestion,
    IReadOnlyDictionary<string, IReadOnlyList<string>> SpecialisationWords)
{
    /// <summary>The show's main ref (sessions, scans and file labels use it).</summary>
    public string ShowRef => ShowRefs[0];

    public DateOnly FirstDay => Days[0];

    public IReadOnlyList<string> WordsFor(string specialisation) =>
        SpecialisationWords.TryGetValue(specialisation, out var words) ? words : [specialisation];
}
