using PipelineFunctions.Core.Events;

namespace PipelineFunctions.ShowGenerator;

/// <summary>
/// The streams sessions are tagged with: the profile's, plus any stream the event config describes that the
/// profile does not know (those get a plain vocabulary made from their name).
/// </summary>
internal sealed class StreamCatalogue
{
    private readonly Dictionary<string, StreamVocabulary> _byName;

    public StreamCatalogue(GenerationProfile profile, EventConfig config)
    {
        var streams = profile.Streams.ToList();
        var known = new HashSet<string>(streams.Select(s => s.Name), StringComparer.OrdinalIgnoreCase);
        foreach (var name in config.Streams.Descriptions.Keys.Order(StringComparer.Ordinal))
            if (known.Add(name)) streams.Add(Plain(name, streams.Count));
        Streams = streams;
        _byName = streams.ToDictionary(s => s.Name, StringComparer.Ordinal);
    }

    public IReadOnlyList<StreamVocabulary> Streams { get; }

    public IReadOnlyList<string> Names => Streams.Select(s => s.Name).ToList();

    public StreamVocabulary Get(string name) => _byName[name];

    public bool Contains(string name) => _byName.ContainsKey(name);

    private static StreamVocabulary Plain(string name, int index)
    {
        var topic = name.ToLowerInvariant();
        var initials = new string(name.Split(' ', StringSplitOptions.RemoveEmptyEntries)
            .Select(w => char.ToUpperInvariant(w[0])).Where(char.IsAsciiLetter).ToArray());
        var code = (initials.Length >= 2 ? initials : "S" + index.ToString(System.Globalization.CultureInfo.InvariantCulture));
        return new StreamVocabulary(name, code, 0.6,
            [$"{topic} essentials", $"advances in {topic}", $"{topic} in practice", $"{topic} case studies", $"the future of {topic}"],
            ["practitioners", "teams", "new starters", "leaders"],
            [$"A session of the {name} stream.", $"Speakers share experience of {topic}."],
            []);
    }
}
