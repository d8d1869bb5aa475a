using PipelineFunctions.Core.Inputs;

namespace PipelineFunctions.ShowGenerator;

/// <summary>
/// Session titles and synopses about a session's topics, in the show's wording: topic names and the sentence stock
/// are reworded per show (<see cref="TopicCatalogue"/>, <see cref="Paraphraser"/>), so this year's sessions treat
/// last year's topics in new words. Titles are new across all shows of the input set (by key_text), except the
/// planted duplicates.
/// </summary>
internal sealed class SessionTitleFactory(GenerationProfile profile, TopicCatalogue topics)
{
    private readonly HashSet<string> _usedKeys = new(StringComparer.Ordinal);
    private readonly Paraphraser _paraphraser = new(profile.SynonymGroups);

    /// <summary>A new title about the topic, in the show's words.</summary>
    public string NewTitle(Random rng, ShowRole role, SessionTopic topic, StreamVocabulary stream)
    {
        for (var attempt = 0; attempt < 40; attempt++)
        {
            var title = Fill(rng, role, rng.Pick(profile.TitleTemplates), stream, topic);
            if (_usedKeys.Add(TextKeys.KeyText(title))) return title;
        }
        var baseTitle = Fill(rng, role, rng.Pick(profile.TitleTemplates), stream, topic);
        for (var part = 2; ; part++)
        {
            var title = $"{baseTitle} (part {part})";
            if (_usedKeys.Add(TextKeys.KeyText(title))) return title;
        }
    }

    /// <summary>
    /// An opener on the topic, the stream's own sentence, half the time a general middle sentence, the second topic if any,
    /// a word on each further stream, and a closer; every template but the stream's sentence reworded for the show.
    /// </summary>
    public string Synopsis(Random rng, ShowRole role, SessionTopic topic, SessionTopic? second, StreamVocabulary primary,
        IReadOnlyList<StreamVocabulary> others)
    {
        var sentences = new List<string>
        {
            Fill(rng, role, rng.Pick(profile.SynopsisOpeners), primary, topic),
            // The stream's own sentence stays as it is at every show: streams keep their voice, topics change their words.
            rng.Pick(primary.Phrases),
        };
        if (rng.Chance(0.5)) sentences.Add(Fill(rng, role, rng.Pick(profile.SynopsisMiddles), primary, topic));
        if (second is not null)
            sentences.Add(Fill(rng, role, rng.Pick(profile.SecondTopicSentences), primary, topic)
                .Replace("{topic2}", second.WordingFor(role), StringComparison.Ordinal)
                .Replace("{Topic2}", Capitalise(second.WordingFor(role)), StringComparison.Ordinal));
        foreach (var other in others)
        {
            var aside = rng.Pick(topics.FacetsOf(other.Name));
            sentences.Add(_paraphraser.Rewrite(rng.Pick(profile.AsideSentences), role)
                .Replace("{aside}", aside, StringComparison.Ordinal)
                .Replace("{Aside}", Capitalise(aside), StringComparison.Ordinal));
        }
        sentences.Add(Fill(rng, role, rng.Pick(profile.SynopsisClosers), primary, topic));
        return string.Join(' ', sentences);
    }

    private string Fill(Random rng, ShowRole role, string template, StreamVocabulary stream, SessionTopic topic)
    {
        var name = topic.WordingFor(role);
        return _paraphraser.Rewrite(template, role)
            .Replace("{Topic}", Capitalise(name), StringComparison.Ordinal)
            .Replace("{topic}", name, StringComparison.Ordinal)
            .Replace("{focus}", rng.Pick(topics.FacetsOf(stream.Name)), StringComparison.Ordinal)
            .Replace("{subject}", rng.Pick(stream.Subjects), StringComparison.Ordinal)
            .Replace("{audience}", rng.Pick(profile.Audiences), StringComparison.Ordinal);
    }

    private static string Capitalise(string text) => text.Length == 0 ? text : char.ToUpperInvariant(text[0]) + text[1..];
}
