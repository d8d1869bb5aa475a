using PipelineFunctions.Core.Events;

namespace PipelineFunctions.ShowGenerator;

/// <summary>
/// The vocabulary of one kind of show: who visits (job roles, specialisations, organisations and how they
/// lean towards streams), what sessions are about, and the small print of names, companies and sponsors.
/// </summary>
internal abstract class GenerationProfile
{
    /// <summary>Affinity at or above which a role or specialisation gets YES in the published stream matrices.</summary>
    public const double MatrixThreshold = 0.5;

    public abstract GenerationProfileKind Kind { get; }

    public abstract IReadOnlyList<StreamVocabulary> Streams { get; }
    public abstract IReadOnlyList<JobRoleOption> JobRoles { get; }

    /// <summary>Practice types (vet) or solutions of interest (e-commerce), in the this-year vocabulary the stream matrix uses.</summary>
    public abstract IReadOnlyList<AnswerOption> Specialisations { get; }

    /// <summary>How many specialisation answers a visitor gives at most (multi-select), with the odds of 1, 2, 3...</summary>
    public abstract IReadOnlyList<double> SpecialisationCountWeights { get; }

    /// <summary>Column (normalised question text) of the organisation question: organisation_type, what_best_describes_what_you_do.</summary>
    public abstract string OrganisationColumn { get; }
    public abstract IReadOnlyList<AnswerOption> Organisations { get; }

    /// <summary>Other kept questions this profile knows answers for, by column.</summary>
    public abstract IReadOnlyList<ExtraQuestion> ExtraQuestions { get; }

    /// <summary>Answers for a kept question this profile does not know.</summary>
    public IReadOnlyList<string> GenericAnswers { get; } = ["Yes", "No", "Prefer not to say"];

    public abstract IReadOnlyList<OtherQuestion> OtherQuestions { get; }
    public abstract IReadOnlyList<WeightedValue> Countries { get; }
    public abstract IReadOnlyList<string> FreeMailDomains { get; }
    public abstract string CompanyDomainSuffix { get; }
    public abstract IReadOnlyList<WeightedValue> SourceChannels { get; }

    /// <summary>The biggest theatre, numbered 1; the others are "Theatre 2", "Theatre 3"...</summary>
    public abstract string MainTheatreName { get; }
    public abstract IReadOnlyList<string> SponsorCompanies { get; }
    public abstract IReadOnlyList<string> TitleTemplates { get; }
    /// <summary>First sentence of a synopsis, with {topic}, {subject} and {focus} (another topic of the stream).</summary>
    public abstract IReadOnlyList<string> SynopsisOpeners { get; }
    public abstract IReadOnlyList<string> SynopsisClosers { get; }

    /// <summary>Sentences between opener and closer, with {topic}, {subject} and {focus}.</summary>
    public abstract IReadOnlyList<string> SynopsisMiddles { get; }

    /// <summary>Topic name -> its other wordings (see <see cref="TopicCatalogue"/>); topics without an entry keep their name.</summary>
    public abstract IReadOnlyDictionary<string, string[]> TopicWordings { get; }

    /// <summary>How a synopsis brings in a session's second topic ({topic2}).</summary>
    public IReadOnlyList<string> SecondTopicSentences { get; } =
    [
        "The second half turns to {topic2}.", "{Topic2} is covered too.", "There is also time for {topic2}.",
        "It then moves on to {topic2}.", "Part of the hour is given to {topic2}.",
    ];

    /// <summary>How a synopsis mentions a further stream's vocabulary ({aside}).</summary>
    public IReadOnlyList<string> AsideSentences { get; } =
    [
        "It also touches on {aside}.", "Links with {aside} are drawn out.", "{Aside} gets a mention.", "Expect a word on {aside} as well.",
    ];

    /// <summary>
    /// Words of the sentence stock and their synonyms; a show rewords every template with its member of each group
    /// (<see cref="Paraphraser"/>), so no two shows share their wording.
    /// </summary>
    public IReadOnlyList<string[]> SynonymGroups { get; } =
    [
        ["session", "talk", "lecture"], ["practical", "hands-on", "applied"], ["speakers", "presenters", "contributors"],
        ["discuss", "explore", "examine"], ["discussed", "explored", "examined"], ["update", "refresher", "review"],
        ["evidence-based", "research-led", "evidence-led"], ["common", "everyday", "frequent"], ["tips", "pointers", "advice"],
        ["explain", "describe", "set out"], ["examples", "illustrations", "instances"], ["approach", "method", "strategy"],
        ["including", "covering", "taking in"], ["covers", "addresses", "tackles"], ["covered", "addressed", "tackled"],
        ["real", "genuine", "actual"], ["clear", "straightforward", "plain"], ["share", "present", "offer"],
        ["lessons", "learnings", "insights"], ["growing", "expanding", "scaling"],
        ["ideal", "perfect", "well suited"], ["suitable", "appropriate", "fitting"], ["aimed", "pitched", "targeted"],
        ["questions", "queries", "audience questions"], ["cases", "case histories", "case records"], ["tools", "techniques", "methods"],
        ["guide", "handbook", "walkthrough"], ["future", "outlook", "road ahead"], ["pitfalls", "traps", "mistakes"],
        ["managing", "handling", "controlling"], ["basics", "fundamentals", "essentials"],
        ["controversies", "debates", "disputes"], ["start", "begin", "kick off"], ["results", "outcomes", "numbers"],
        ["winning", "succeeding", "thriving"],
        ["matters", "counts", "is key"], ["playbook", "blueprint", "roadmap"],
        ["fixing", "repairing", "sorting out"], ["masterclass", "deep dive", "workshop"],
    ];

    public abstract IReadOnlyList<string> Audiences { get; }

    /// <summary>Vet: a practice has one practice type, so a visitor's company follows from it. E-commerce: companies have none.</summary>
    public abstract bool CompanyHasSpecialisation { get; }

    /// <summary>A company name for an organisation (and practice type); the caller retries on a clash.</summary>
    public abstract string CompanyName(Random rng, string organisation, string? specialisation);

    /// <summary>A job title for someone with this role; may mention the practice type ("Equine Vet").</summary>
    public virtual string JobTitle(Random rng, JobRoleOption role, string specialisation) => rng.Pick(role.JobTitles);

    public static GenerationProfile For(GenerationProfileKind kind) => kind switch
    {
        GenerationProfileKind.Vet => new VetProfile(),
        GenerationProfileKind.Ecomm => new EcommProfile(),
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, null),
    };

    /// <summary>Vet when the config carries vet business rules, else e-commerce.</summary>
    public static GenerationProfileKind DefaultFor(EventConfig config) =>
        config.Recommendation.Rules is not null ? GenerationProfileKind.Vet : GenerationProfileKind.Ecomm;

    protected static Dictionary<string, double> Affinity(params (string Stream, double Weight)[] pairs) =>
        pairs.ToDictionary(p => p.Stream, p => p.Weight, StringComparer.Ordinal);
}
