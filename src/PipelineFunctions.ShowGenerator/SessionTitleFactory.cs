using PipelineFunctions.Core.Inputs;

namespace PipelineFunctions.ShowGenerator;

/// <summary>
/// Session titles and synopses from a stream's vocabulary, so sessions of one stream share words. Titles are new
/// across all shows of the input set (by key_text), except the planted duplicates.
/// </summary>
internal sealed class SessionTitleFactory(GenerationProfile profile)
{
    private readonly HashSet<string> _usedKeys = new(StringComparer.Ordinal);

    /// <summary>A new title and its main topic (which the synopsis then talks about).</summary>
    public (string Title, string Topic) NewTitle(Random rng, StreamVocabulary stream)
    {
        for (var attempt = 0; attempt < 40; attempt++)
        {
            var topic = rng.Pick(stream.Topics);
            var title = Fill(rng, rng.Pick(profile.TitleTemplates), stream, topic);
            if (_usedKeys.Add(TextKeys.KeyText(title))) return (title, topic);
        }
        var lastTopic = rng.Pick(stream.Topics);
        var baseTitle = Fill(rng, rng.Pick(profile.TitleTemplates), stream, lastTopic);
        for (var part = 2; ; part++)
        {
            var title = $"{baseTitle} (part {part})";
            if (_usedKeys.Add(TextKeys.KeyText(title))) return (title, lastTopic);
        }
    }

    /// <summary>Two or three sentences on the topic, in the primary stream's words, mentioning the other streams' topics.</summary>
    public string Synopsis(Random rng, StreamVocabulary primary, IReadOnlyList<StreamVocabulary> others, string? topic = null)
    {
        topic ??= rng.Pick(primary.Topics);
        var focus = OtherTopic(rng, primary, topic);
        var text = rng.Pick(profile.SynopsisOpeners)
            .Replace("{topic}", topic, StringComparison.Ordinal)
            .Replace("{subject}", rng.Pick(primary.Subjects), StringComparison.Ordinal)
            .Replace("{focus}", focus, StringComparison.Ordinal) + " " + rng.Pick(primary.Phrases);
        foreach (var other in others)
            text += $" It also touches on {rng.Pick(other.Topics)}.";
        return text + " " + rng.Pick(profile.SynopsisClosers).Replace("{audience}", rng.Pick(profile.Audiences), StringComparison.Ordinal);
    }

    private string Fill(Random rng, string template, StreamVocabulary stream, string topic) =>
        template
            .Replace("{Topic}", Capitalise(topic), StringComparison.Ordinal)
            .Replace("{topic}", topic, StringComparison.Ordinal)
            .Replace("{topic2}", OtherTopic(rng, stream, topic), StringComparison.Ordinal)
            .Replace("{subject}", rng.Pick(stream.Subjects), StringComparison.Ordinal)
            .Replace("{audience}", rng.Pick(profile.Audiences), StringComparison.Ordinal);

    private static string OtherTopic(Random rng, StreamVocabulary stream, string topic)
    {
        if (stream.Topics.Count < 2) return topic;
        string other;
        do other = rng.Pick(stream.Topics);
        while (other == topic);
        return other;
    }

    private static string Capitalise(string text) => text.Length == 0 ? text : char.ToUpperInvariant(text[0]) + text[1..];
}
