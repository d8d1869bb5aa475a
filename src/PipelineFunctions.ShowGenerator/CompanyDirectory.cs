using PipelineFunctions.Core.Inputs;

namespace PipelineFunctions.ShowGenerator;

/// <summary>
/// The companies visitors work for, with unique names (compared as the practices lookup compares them).
/// Vet: every practice type gets its share of practices, so a visitor's company matches their practice type.
/// </summary>
internal sealed class CompanyDirectory
{
    private readonly Dictionary<string, List<Company>> _bySpecialisation;
    private readonly List<Company> _all;

    private CompanyDirectory(List<Company> all)
    {
        _all = all;
        _bySpecialisation = all.Where(c => c.Specialisation is not null)
            .GroupBy(c => c.Specialisation!, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.ToList(), StringComparer.Ordinal);
    }

    public IReadOnlyList<Company> All => _all;

    /// <summary>About one company per six visitors, at least 40 and at most 6,000.</summary>
    public static int CountFor(int visitors) => Math.Clamp(visitors / 6, 40, 6000);

    public static CompanyDirectory Create(GenerationProfile profile, int count, Random rng)
    {
        var names = new HashSet<string>(StringComparer.Ordinal);
        var companies = new List<Company>(count);
        if (profile.CompanyHasSpecialisation)
        {
            var total = profile.Specialisations.Sum(s => s.Weight);
            foreach (var specialisation in profile.Specialisations)
            {
                var share = Math.Max(3, (int)Math.Round(count * specialisation.Weight / total));
                for (var i = 0; i < share; i++)
                {
                    var organisation = rng.PickWeighted(profile.Organisations, o => o.Weight).Answer;
                    companies.Add(NewCompany(profile, rng, names, organisation, specialisation.Answer));
                }
            }
        }
        else
        {
            for (var i = 0; i < count; i++)
                companies.Add(NewCompany(profile, rng, names, rng.PickWeighted(profile.Organisations, o => o.Weight).Answer, null));
        }
        return new CompanyDirectory(companies);
    }

    /// <summary>
    /// A company for a visitor: with a practice type when the profile's companies have one. Bigger companies (earlier in the
    /// list) send more people.
    /// </summary>
    public Company Pick(Random rng, string? specialisation)
    {
        var pool = specialisation is not null && _bySpecialisation.TryGetValue(specialisation, out var matching) ? matching : _all;
        var index = (int)(pool.Count * Math.Pow(rng.NextDouble(), 1.4));
        return pool[Math.Min(index, pool.Count - 1)];
    }

    private static Company NewCompany(GenerationProfile profile, Random rng, HashSet<string> names, string organisation, string? specialisation)
    {
        var name = profile.CompanyName(rng, organisation, specialisation);
        for (var attempt = 0; attempt < 30 && names.Contains(TextKeys.CompanyKey(name)); attempt++)
            name = profile.CompanyName(rng, organisation, specialisation);
        if (names.Contains(TextKeys.CompanyKey(name)))
        {
            var baseName = name;
            for (var n = 2; names.Contains(TextKeys.CompanyKey(name)); n++)
                name = $"{baseName} ({rng.Pick(PersonNames.Towns)}{(n > 4 ? $" {n}" : "")})";
        }
        names.Add(TextKeys.CompanyKey(name));
        return new Company(name, organisation, specialisation, Domain(name, profile.CompanyDomainSuffix));
    }

    private static readonly HashSet<string> DomainStopWords = new(StringComparer.Ordinal) { "of", "the", "and", "ltd", "co" };

    /// <summary>"Castle Vets" -> castlevets.co.uk; the first two significant words of the name.</summary>
    private static string Domain(string name, string suffix)
    {
        var words = name.Split(' ', StringSplitOptions.RemoveEmptyEntries)
            .Select(PersonNames.EmailPart)
            .Where(w => w.Length > 0 && !DomainStopWords.Contains(w))
            .Take(2);
        return string.Concat(words) + suffix;
    }
}
