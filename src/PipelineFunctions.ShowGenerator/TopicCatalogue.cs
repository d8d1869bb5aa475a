namespace PipelineFunctions.ShowGenerator;

/// <summary>
/// The topics of a profile: the first <see cref="TopicsPerStream"/> topics of every stream's vocabulary, a share of
/// them also belonging to a related stream (a stable hash decides, as for persona jitter). The stream's other
/// vocabulary topics stay words that colour a synopsis ("facets"), not topics anyone follows. A persona cares about
/// the topic its hash ranks first in each of its two most preferred streams; a person adds one topic of their own.
/// </summary>
internal sealed class TopicCatalogue
{
    public const int TopicsPerStream = 4, PersonaTopicStreams = 2, MinOwnTopics = 1, MaxOwnTopics = 1;
    public const double CrossStreamShare = 0.35, OwnTopicInPreferredStreamShare = 0.7;

    private readonly Dictionary<string, List<SessionTopic>> _byStream = new(StringComparer.Ordinal);
    private readonly Dictionary<string, IReadOnlyList<string>> _facets = new(StringComparer.Ordinal);
    private readonly Dictionary<string, IReadOnlyList<int>> _personaTopics = new(StringComparer.Ordinal);
    private readonly Lock _lock = new();

    public TopicCatalogue(GenerationProfile profile, StreamCatalogue streams)
    {
        var topics = new List<SessionTopic>();
        foreach (var stream in streams.Streams)
        {
            _byStream.TryAdd(stream.Name, []);
            foreach (var name in stream.Topics.Take(TopicsPerStream))
            {
                var wordings = profile.TopicWordings.TryGetValue(name, out var others) ? [name, .. others] : new[] { name };
                var related = stream.Related.Where(streams.Contains).ToList();
                var topicStreams = new List<string> { stream.Name };
                if (related.Count > 0 && PersonaModel.StableUnit("topic\u001f" + name) < CrossStreamShare)
                    topicStreams.Add(related[(int)(PersonaModel.StableUnit("related\u001f" + name) * related.Count)]);
                topics.Add(new SessionTopic(topics.Count, name, wordings, topicStreams));
            }
            var facets = stream.Topics.Skip(TopicsPerStream).ToList();
            _facets[stream.Name] = facets.Count > 0 ? facets : stream.Topics.ToList();
        }
        foreach (var topic in topics)
            foreach (var stream in topic.Streams)
                (_byStream.TryGetValue(stream, out var list) ? list : _byStream[stream] = []).Add(topic);
        Topics = topics;
    }

    public IReadOnlyList<SessionTopic> Topics { get; }

    /// <summary>The topics that belong to a stream, its own first.</summary>
    public IReadOnlyList<SessionTopic> Of(string stream) => _byStream.TryGetValue(stream, out var list) ? list : [];

    /// <summary>Vocabulary of a stream that is no topic: sessions mention it in passing.</summary>
    public IReadOnlyList<string> FacetsOf(string stream) => _facets[stream];

    /// <summary>The persona's topics: a pure function of the persona, so everyone of a persona shares them.</summary>
    public IReadOnlyList<int> PersonaTopics(Persona persona)
    {
        lock (_lock)
            if (_personaTopics.TryGetValue(persona.Key, out var cached)) return cached;
        var chosen = new List<int>();
        foreach (var stream in persona.PreferredStreams.Take(PersonaTopicStreams))
        {
            var best = Of(stream).Where(t => !chosen.Contains(t.Id))
                .OrderBy(t => PersonaModel.StableUnit(persona.Key + "\u001f" + t.Name)).ThenBy(t => t.Id).FirstOrDefault();
            if (best is not null) chosen.Add(best.Id);
        }
        lock (_lock) _personaTopics[persona.Key] = chosen;
        return chosen;
    }

    /// <summary>
    /// A person's interests: the persona's topics, then one of their own, mostly (70 %) of a preferred stream drawn
    /// by the persona's weight, else any topic.
    /// </summary>
    public IReadOnlyList<int> Interests(Persona persona, PersonaModel personas, Random rng)
    {
        var interests = new List<int>(PersonaTopics(persona));
        var own = rng.Between(MinOwnTopics, MaxOwnTopics);
        for (var attempt = 0; own > 0 && attempt < 20; attempt++)
        {
            SessionTopic topic;
            if (rng.Chance(OwnTopicInPreferredStreamShare))
            {
                var pool = Of(rng.PickWeighted(persona.PreferredStreams, s => personas.WeightOf(persona, s)));
                if (pool.Count == 0) continue;
                topic = rng.Pick(pool);
            }
            else topic = rng.Pick(Topics);
            if (interests.Contains(topic.Id)) continue;
            interests.Add(topic.Id);
            own--;
        }
        return interests;
    }
}
