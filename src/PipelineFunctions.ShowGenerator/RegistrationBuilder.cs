using PipelineFunctions.Core.Events;

namespace PipelineFunctions.ShowGenerator;

/// <summary>
/// Turns the population into registration rows with the reference exports' quirks: new badge ids every show,
/// registration dates in the six months before the show, other badge types, blank and unknown ShowRefs,
/// repeated badge ids, missing emails or forenames, and emails in varying case.
/// </summary>
internal sealed class RegistrationBuilder(EventConfig config, GenerationProfile profile, PersonFactory people, BadgeIdFactory badges, Random rng)
{
    public const double NonVisitorShare = 0.05;
    public const double BlankShowRefShare = 0.01;
    public const double RepeatRowShare = 0.01;
    public const double MissingIdentityShare = 0.005;
    public const double NoDemographicsShare = 0.03;
    public const double MissingJobRoleShare = 0.05;
    public const double MissingSpecialisationShare = 0.05;
    public const int RegistrationWindowDays = 182;
    public const string GroupBookingChannel = "GROUP_BOOKING";

    public static readonly IReadOnlyList<WeightedValue> NonVisitorBadgeTypes = [new("Exhibitor", 60), new("Staff", 25), new("Press", 15)];
    /// <summary>Show refs of rows that belong to no configured show.</summary>
    public static readonly IReadOnlyList<string> UnknownShowRefs = ["XYZ99", "TEST01", "DEMO24"];
    /// <summary>Sources without a show token: a blank ShowRef with one of these cannot be recovered (UNKNOWN).</summary>
    public static readonly IReadOnlyList<string> TokenlessSources = ["ONLINE_FORM", "MANUAL_IMPORT"];

    public RegistrationSet Build(IReadOnlyList<ShowPlan> shows, Population population)
    {
        var main = ShowRows(shows[0], population.ThisYear);
        main.AddRange(ShowRows(shows[1], population.PastMain));
        main.AddRange(StrayRows(rng.Between(3, 5)));
        main.AddRange(TokenlessRows(shows[0], 2));
        var secondary = ShowRows(shows[2], population.PastSecondary);
        secondary.AddRange(StrayRows(rng.Between(1, 2)));
        return new RegistrationSet(Sorted(main), Sorted(secondary));
    }

    private List<Registration> ShowRows(ShowPlan show, IReadOnlyList<Person> visitors)
    {
        var missingRoleChance = MissingJobRoleChance(visitors);
        var rows = new List<Registration>(visitors.Count + visitors.Count / 10);
        foreach (var person in visitors) rows.Add(Row(show, person, ValidBadgeType(), isVisitor: true, missingRoleChance));
        var nonVisitors = (int)Math.Round(visitors.Count * NonVisitorShare / (1 - NonVisitorShare));
        for (var i = 0; i < nonVisitors; i++)
            rows.Add(Row(show, people.Create(), rng.PickWeighted(NonVisitorBadgeTypes, t => t.Weight).Value, isVisitor: false, missingRoleChance));

        for (var i = 0; i < rows.Count; i++)
        {
            if (rng.Chance(BlankShowRefShare)) rows[i] = rows[i] with { WrittenShowRef = "" };
            if (rng.Chance(MissingIdentityShare)) rows[i] = rng.Chance(0.7) ? rows[i] with { Email = "" } : rows[i] with { Forename = "" };
        }

        var repeats = rng.PickDistinct(Enumerable.Range(0, rows.Count).ToList(), (int)Math.Round(rows.Count * RepeatRowShare));
        repeats.Sort();
        var latest = show.FirstDay.AddDays(-1).ToDateTime(new TimeOnly(23, 59, 0));
        foreach (var index in repeats)
        {
            var original = rows[index];
            var later = original.RegisteredAt.AddMinutes(rng.Between(5, 72 * 60));
            rows.Add(original with
            {
                IsRepeatRow = true,
                RegisteredAt = later < latest ? later : original.RegisteredAt,
                HasDemographics = false,
            });
        }
        return rows;
    }

    private Registration Row(ShowPlan show, Person person, string badgeType, bool isVisitor, double missingRoleChance)
    {
        var showRef = show.ShowRefs.Count == 1 || rng.Chance(0.8) ? show.ShowRef : rng.Pick(show.ShowRefs);
        var hasDemographics = !rng.Chance(NoDemographicsShare);
        return new Registration
        {
            Person = person,
            Show = show,
            ShowRef = showRef,
            WrittenShowRef = showRef,
            BadgeId = badges.Next(),
            BadgeType = badgeType,
            Source = $"{showRef}_{Channel(badgeType)}",
            RegisteredAt = RegistrationTime(show.FirstDay),
            Email = EmailCasing.Vary(rng, person.Email),
            Forename = person.Forename,
            Surname = rng.Chance(0.01) ? person.Surname.ToUpperInvariant() : person.Surname,
            IsVisitor = isVisitor,
            HasDemographics = hasDemographics,
            MissingJobRole = hasDemographics && MissesJobRole(person, missingRoleChance),
            MissingSpecialisation = hasDemographics && config.Inputs.Practices is not null && show.SpecialisationQuestion is not null
                                    && rng.Chance(MissingSpecialisationShare),
        };
    }

    /// <summary>Rows of shows outside the config (ShowRef XYZ99...): the importer skips them.</summary>
    private IEnumerable<Registration> StrayRows(int count)
    {
        for (var i = 0; i < count; i++)
        {
            var showRef = rng.Pick(UnknownShowRefs);
            var person = people.Create();
            yield return new Registration
            {
                Person = person, Show = null, ShowRef = showRef, WrittenShowRef = showRef, BadgeId = badges.Next(), BadgeType = ValidBadgeType(),
                Source = $"{showRef}_WEB", RegisteredAt = RegistrationTime(config.Event.Date.AddYears(-1)), Email = person.Email,
                Forename = person.Forename, Surname = person.Surname, IsVisitor = true,
            };
        }
    }

    /// <summary>Rows with a blank ShowRef and a Source without a show token: the importer marks them UNKNOWN.</summary>
    private IEnumerable<Registration> TokenlessRows(ShowPlan show, int count)
    {
        for (var i = 0; i < count; i++)
        {
            var person = people.Create();
            yield return new Registration
            {
                Person = person, Show = null, ShowRef = "", WrittenShowRef = "", BadgeId = badges.Next(), BadgeType = ValidBadgeType(),
                Source = rng.Pick(TokenlessSources), RegisteredAt = RegistrationTime(show.FirstDay), Email = person.Email,
                Forename = person.Forename, Surname = person.Surname, IsVisitor = true,
            };
        }
    }

    /// <summary>Missing job roles are planted only where the config's keyword inference recovers the true role, at about 5 % overall.</summary>
    private double MissingJobRoleChance(IReadOnlyList<Person> visitors)
    {
        var rules = config.Registration.JobRoleInference;
        if (rules.Count == 0 || visitors.Count == 0) return MissingJobRoleShare;
        var recoverable = visitors.Count(p => Recoverable(p, rules));
        return recoverable == 0 ? 0 : Math.Min(1.0, MissingJobRoleShare * visitors.Count / recoverable);
    }

    private bool MissesJobRole(Person person, double chance)
    {
        var rules = config.Registration.JobRoleInference;
        if (rules.Count > 0 && !Recoverable(person, rules)) return false;
        return rng.Chance(chance);
    }

    private static bool Recoverable(Person person, IReadOnlyList<JobRoleInferenceRule> rules) =>
        JobRoleKeywords.Infer(rules, person.JobTitle) == person.Persona.JobRole;

    /// <summary>The first valid badge type for most visitors, the others share an eighth.</summary>
    private string ValidBadgeType()
    {
        var types = config.Registration.ValidBadgeTypes;
        return types.Count == 1 || rng.Chance(0.88) ? types[0] : types[rng.Between(1, types.Count - 1)];
    }

    private string Channel(string badgeType)
    {
        if (badgeType.Contains("Group", StringComparison.OrdinalIgnoreCase)) return GroupBookingChannel;
        string channel;
        do channel = rng.PickWeighted(profile.SourceChannels, c => c.Weight).Value;
        while (channel == GroupBookingChannel);
        return channel;
    }

    /// <summary>A time in the six months before the show, more of them close to it.</summary>
    private DateTime RegistrationTime(DateOnly showDay)
    {
        var daysBefore = 1 + (int)((RegistrationWindowDays - 1) * Math.Pow(rng.NextDouble(), 1.7));
        return showDay.AddDays(-daysBefore).ToDateTime(new TimeOnly(rng.Between(7, 22), rng.Next(60), rng.Next(60)));
    }

    private static List<Registration> Sorted(List<Registration> rows) =>
        rows.OrderBy(r => r.RegisteredAt).ThenBy(r => r.BadgeId, StringComparer.Ordinal).ThenBy(r => r.IsRepeatRow).ToList();
}
