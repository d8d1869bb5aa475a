namespace PipelineFunctions.ShowGenerator;

/// <summary>
/// Builds personas: stream weight = role affinity x 1.0 + specialisation affinity x 0.8 + organisation affinity x 0.4
/// + a small fixed jitter per persona and stream (a stable hash, not a random draw, so the model is a pure function
/// of the profile). The top three streams are the persona's preferred streams.
/// </summary>
internal sealed class PersonaModel
{
    public const int PreferredStreamCount = 3;
    public const double RoleFactor = 1.0, SpecialisationFactor = 0.8, OrganisationFactor = 0.4, JitterScale = 0.12;

    private readonly GenerationProfile _profile;
    private readonly IReadOnlyList<string> _streams;
    private readonly Dictionary<string, Persona> _cache = new(StringComparer.Ordinal);

    public PersonaModel(GenerationProfile profile, IReadOnlyList<string> streams)
    {
        _profile = profile;
        _streams = streams;
    }

    public IReadOnlyList<string> Streams => _streams;

    public Persona For(string jobRole, string specialisation, string organisation)
    {
        var key = $"{jobRole}\u001f{specialisation}\u001f{organisation}";
        if (_cache.TryGetValue(key, out var cached)) return cached;

        var role = _profile.JobRoles.FirstOrDefault(r => r.Role == jobRole)?.StreamAffinity;
        var spec = _profile.Specialisations.FirstOrDefault(s => s.Answer == specialisation)?.StreamAffinity;
        var org = _profile.Organisations.FirstOrDefault(o => o.Answer == organisation)?.StreamAffinity;
        var weights = new double[_streams.Count];
        for (var i = 0; i < weights.Length; i++)
        {
            var stream = _streams[i];
            weights[i] = RoleFactor * Get(role, stream) + SpecialisationFactor * Get(spec, stream) + OrganisationFactor * Get(org, stream)
                         + JitterScale * StableUnit(key + "\u001f" + stream);
        }
        var preferred = Enumerable.Range(0, weights.Length)
            .OrderByDescending(i => weights[i]).ThenBy(i => i)
            .Take(PreferredStreamCount)
            .Select(i => _streams[i])
            .ToList();
        var persona = new Persona(jobRole, specialisation, organisation, weights, preferred);
        _cache[key] = persona;
        return persona;
    }

    public double WeightOf(Persona persona, string stream)
    {
        for (var i = 0; i < _streams.Count; i++)
            if (_streams[i] == stream) return persona.StreamWeights[i];
        return 0;
    }

    private static double Get(IReadOnlyDictionary<string, double>? affinity, string stream) =>
        affinity is not null && affinity.TryGetValue(stream, out var value) ? value : 0;

    /// <summary>FNV-1a of the text mapped to [0, 1): the same text gives the same number on every run and platform.</summary>
    internal static double StableUnit(string text)
    {
        var hash = 2166136261u;
        foreach (var c in text)
        {
            hash ^= c;
            hash *= 16777619u;
        }
        return (hash % 100_000) / 100_000.0;
    }
}
