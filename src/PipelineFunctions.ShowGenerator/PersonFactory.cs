using System.Globalization;

namespace PipelineFunctions.ShowGenerator;

/// <summary>
/// Creates people: persona first (role, specialisation, organisation), then the contact details that go with it.
/// Topic interests come from their own generator, so the rest of a person is drawn as without topics.
/// </summary>
internal sealed class PersonFactory(GenerationProfile profile, PersonaModel personas, CompanyDirectory companies, TopicCatalogue topics,
    Random rng, Random topicRng)
{
    public const double BlankJobTitleShare = 0.03;
    private const string UnitedKingdom = "United Kingdom";

    private readonly HashSet<string> _emails = new(StringComparer.Ordinal);
    private int _nextId;

    public Person Create()
    {
        var role = rng.PickWeighted(profile.JobRoles, r => r.Weight);
        Company company;
        string specialisation;
        if (profile.CompanyHasSpecialisation)
        {
            specialisation = rng.PickWeighted(profile.Specialisations, s => s.Weight).Answer;
            company = companies.Pick(rng, specialisation);
        }
        else
        {
            company = companies.Pick(rng, null);
            specialisation = rng.PickWeighted(profile.Specialisations, s => s.Weight).Answer;
        }
        var persona = personas.For(role.Role, specialisation, company.Organisation);
        var forename = rng.Pick(PersonNames.Forenames);
        var surname = rng.Pick(PersonNames.Surnames);
        var country = rng.PickWeighted(profile.Countries, c => c.Weight).Value;
        var inUk = country == UnitedKingdom;
        return new Person
        {
            Id = _nextId++,
            Forename = forename,
            Surname = surname,
            Email = UniqueEmail(forename, surname, company),
            Company = company,
            JobTitle = rng.Chance(BlankJobTitleShare) ? "" : profile.JobTitle(rng, role, specialisation),
            Country = country,
            Tel = rng.Chance(inUk ? 0.6 : 0.1) ? LandLine() : "",
            Mobile = rng.Chance(inUk ? 0.75 : 0.3) ? "+44 7700 900" + Digits(3) : "",
            Persona = persona,
            Topics = topics.Interests(persona, personas, topicRng),
            Specialisations = Specialisations(persona),
            ExtraAnswers = profile.ExtraQuestions.ToDictionary(
                q => q.Column, q => (IReadOnlyList<string>)rng.PickDistinct(q.Answers, rng.Between(1, q.MaxAnswers)), StringComparer.Ordinal),
        };
    }

    /// <summary>The persona's specialisation first; further answers (multi-select) lean to the persona's preferred streams.</summary>
    private List<string> Specialisations(Persona persona)
    {
        var weights = profile.SpecialisationCountWeights;
        var count = 1 + rng.PickWeighted(Enumerable.Range(0, weights.Count).ToList(), i => weights[i]);
        var answers = new List<string> { persona.Specialisation };
        var leaning = profile.Specialisations
            .Where(s => s.StreamAffinity.Any(a => a.Value >= 0.8 && persona.PreferredStreams.Contains(a.Key)))
            .ToList();
        for (var attempt = 0; answers.Count < count && attempt < 20; attempt++)
        {
            var pool = leaning.Count > 0 && rng.Chance(0.7) ? leaning : profile.Specialisations;
            var answer = rng.PickWeighted(pool, s => s.Weight).Answer;
            if (!answers.Contains(answer)) answers.Add(answer);
        }
        return answers;
    }

    private string UniqueEmail(string forename, string surname, Company company)
    {
        var f = PersonNames.EmailPart(forename);
        var s = PersonNames.EmailPart(surname);
        var local = rng.Between(0, 9) switch
        {
            <= 5 => $"{f}.{s}",
            6 => $"{f}{s}",
            7 => $"{f[0]}{s}",
            8 => $"{s}.{f}",
            _ => $"{f}.{s[0]}",
        };
        var domain = rng.Chance(0.7) ? company.Domain : rng.Pick(profile.FreeMailDomains);
        var email = $"{local}@{domain}";
        for (var n = 2; !_emails.Add(email); n++) email = $"{local}{n.ToString(CultureInfo.InvariantCulture)}@{domain}";
        return email;
    }

    /// <summary>Numbers from Ofcom's ranges reserved for drama, so no real line is ever listed.</summary>
    private string LandLine() => rng.Between(0, 3) switch
    {
        0 => "+44 20 7946 0" + Digits(3),
        1 => "+44 113 496 0" + Digits(3),
        2 => "+44 161 496 0" + Digits(3),
        _ => "+44 117 496 0" + Digits(3),
    };

    private string Digits(int count)
    {
        Span<char> digits = stackalloc char[count];
        for (var i = 0; i < count; i++) digits[i] = (char)('0' + rng.Next(10));
        return new string(digits);
    }
}
