namespace PipelineFunctions.ShowGenerator;

/// <summary>
/// A subject sessions treat and visitors follow from year to year ("feline hyperthyroidism", "checkout conversion").
/// It belongs to one or more streams (its home stream first) and has a wording per show, so this year's sessions
/// name last year's topics in other words.
/// </summary>
/// <param name="Wordings">The name as each show words it: the first is the name itself; see <see cref="Paraphraser.WordingOf"/>.</param>
internal sealed record SessionTopic(int Id, string Name, IReadOnlyList<string> Wordings, IReadOnlyList<string> Streams)
{
    public string WordingFor(ShowRole role) => Wordings[Paraphraser.WordingOf(role) % Wordings.Count];
}
