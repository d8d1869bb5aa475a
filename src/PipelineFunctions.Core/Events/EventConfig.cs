namespace PipelineFunctions.Core.Events;

// The event configuration, one YAML file per event (config/events/<name>.yaml). YAML keys are the
// snake_case form of these property names; `required` members are required keys, everything else
// has the default shown. The schema is documented in docs/event-config.md: keep the two in step.

public sealed class EventConfig
{
    public required EventSection Event { get; init; }
    public required InputFiles Inputs { get; init; }
    public required RegistrationSettings Registration { get => _registration; init => _registration = value; }
    private RegistrationSettings _registration = null!;
    public SessionSettings Sessions { get; init; } = new();
    public StreamSettings Streams { get; init; } = new();
    public EmbeddingSettings Embeddings { get; init; } = new();
    public required RecommendationSettings Recommendation { get; init; }
    public GraphSettings Graph { get; init; } = new();
    public OrchestrationSettings Orchestration { get; init; } = new();

    /// <summary>Where this config was loaded from (not a YAML key).</summary>
    [ConfigIgnore, System.Text.Json.Serialization.JsonIgnore] public string SourcePath { get; internal set; } = "";

    /// <summary>
    /// This config with registration.keep_all_past_visitors on: training and evaluation learn from every past
    /// visitor, not only the returning ones the reference keeps.
    /// </summary>
    public EventConfig WithAllPastVisitors()
    {
        var copy = (EventConfig)MemberwiseClone();
        copy._registration = Registration.KeepingAllPastVisitors();
        return copy;
    }
}

public sealed class EventSection
{
    /// <summary>Event name, e.g. vet_lva; also the graph's `show` property and the storage prefix.</summary>
    public required string Name { get; init; }
    /// <summary>Short name of this show, used in column and label suffixes (BadgeId_last_year_lva).</summary>
    public required string MainEventName { get; init; }
    /// <summary>Short name of the partner show.</summary>
    public required string SecondaryEventName { get; init; }
    public required int Year { get; init; }
    /// <summary>First show day; Days_since_registration counts to it.</summary>
    public required DateOnly Date { get; init; }
    public DateOnly? EndDate { get; init; }
    public required List<string> ShowsThisYear { get; init; }
    public required List<string> ShowsLastYearMain { get; init; }
    public required List<string> ShowsLastYearSecondary { get; init; }
}

/// <summary>Input file names, relative to the run's input location.</summary>
public sealed class InputFiles
{
    public required string MainRegistration { get; init; }
    public required string SecondaryRegistration { get; init; }
    public required string MainDemographics { get; init; }
    public required string SecondaryDemographics { get; init; }
    public required string SessionsThisYear { get; init; }
    public required string SessionsPastMain { get; init; }
    public required string SessionsPastSecondary { get; init; }
    public required string ScansPastMain { get; init; }
    public required string ScanReferencePastMain { get; init; }
    public required string ScansPastSecondary { get; init; }
    public required string ScanReferencePastSecondary { get; init; }
    public required string JobRoleToStream { get; init; }
    public required string SpecialisationToStream { get; init; }
    public required string TheatreCapacity { get; init; }
    /// <summary>Vet shows: company name -> practice type, fills a missing practice type.</summary>
    public string? Practices { get; init; }
}

public sealed class RegistrationSettings
{
    /// <summary>true: PascalCase export (Email, BadgeId, ShowRef...); false: snake_case export (email, badge_id, show_ref...).</summary>
    public bool OldFormat { get; init; } = true;
    public required List<string> ValidBadgeTypes { get; init; }
    /// <summary>Demographic questions kept as columns (question text as in the export).</summary>
    public required List<string> QuestionsToKeep { get; init; }
    /// <summary>Vet shows: infer a missing job role from JobTitle keywords, first matching rule wins.</summary>
    public List<JobRoleInferenceRule> JobRoleInference { get; init; } = [];
    /// <summary>Column (normalised question) holding the job role, e.g. job_role.</summary>
    public string JobRoleField { get; init; } = "job_role";
    /// <summary>Column holding the practice type / specialisation per visitor group.</summary>
    public PracticeTypeFields PracticeTypeFields { get; init; } = new();
    /// <summary>
    /// false (the reference's behaviour): past-show outputs hold only visitors who registered again this year.
    /// true: every valid past visitor, with their scans, e.g. as training data for a ranking model.
    /// </summary>
    public bool KeepAllPastVisitors { get => _keepAllPastVisitors; init => _keepAllPastVisitors = value; }
    private bool _keepAllPastVisitors;

    internal RegistrationSettings KeepingAllPastVisitors()
    {
        var copy = (RegistrationSettings)MemberwiseClone();
        copy._keepAllPastVisitors = true;
        return copy;
    }
    /// <summary>Extra visitor fields carried from the registration export besides the standard ones.</summary>
    public List<string> ExtraRegistrationFields { get; init; } = [];
}

public sealed class JobRoleInferenceRule
{
    public required List<string> Keywords { get; init; }
    public required string Role { get; init; }
}

public sealed class PracticeTypeFields
{
    public string? ThisYear { get; init; }
    public string? PastMain { get; init; }
    public string? PastSecondary { get; init; }
}

public sealed class SessionSettings
{
    /// <summary>Titles dropped case-insensitively (placeholders such as "session tba").</summary>
    public List<string> TitlesToRemove { get; init; } = [];
    /// <summary>Sponsor abbreviations expanded in sponsored_by (the reference's map_vets).</summary>
    public Dictionary<string, string> SponsorAbbreviations { get; init; } = [];
}

public sealed class StreamSettings
{
    /// <summary>Stream descriptions for the catalogue; a stream without one is described by its name.</summary>
    public Dictionary<string, string> Descriptions { get; init; } = [];
    /// <summary>Maps specialisation answers onto the specialisation matrix's rows, per visitor group.</summary>
    public SpecialisationMaps SpecialisationMaps { get; init; } = new();
}

public sealed class SpecialisationMaps
{
    public Dictionary<string, string> ThisYear { get; init; } = [];
    public Dictionary<string, string> PastMain { get; init; } = [];
    public Dictionary<string, string> PastSecondary { get; init; } = [];
}

public sealed class EmbeddingSettings
{
    /// <summary>local (ML.NET, offline) or azure_openai.</summary>
    public string Generator { get; init; } = "local";
    public int Dimensions { get; init; } = 384;
    public int BatchSize { get; init; } = 100;
    public bool IncludeStreamDescriptions { get; init; }
    /// <summary>Seed of the local model's random projection: the same seed and texts give the same vectors.</summary>
    public int Seed { get; init; } = 42;
}

public sealed class RecommendationSettings
{
    public required double MinSimilarityScore { get; init; }
    public required int MaxRecommendations { get; init; }
    public int SimilarVisitorsCount { get; init; } = 3;
    /// <summary>Returning visitors without history get scores raised to this power; 1 disables.</summary>
    public double SimilarityExponent { get; init; } = 1.5;
    /// <summary>Keep only the higher-scored session of a time clash (otherwise annotate only).</summary>
    public bool ResolveOverlappingSessions { get; init; } = true;
    /// <summary>Demographic attribute (column) -> weight for finding similar past visitors.</summary>
    public required Dictionary<string, double> SimilarityAttributes { get; init; }
    /// <summary>Visitor fields copied into the CSV export, in this order.</summary>
    public List<string> ExportVisitorFields { get; init; } = [];
    /// <summary>Seed for every random choice of step 4 (sampling, tie-breaks).</summary>
    public int RandomSeed { get; init; } = 42;
    public TheatreCapacitySettings TheatreCapacity { get; init; } = new();
    public ControlGroupSettings ControlGroup { get; init; } = new();
    /// <summary>The learned ranker: whether step 4 uses it, how it is trained, evaluated and promoted.</summary>
    public RankingSettings Ranking { get; init; } = new();
    /// <summary>Vet business rules; absent for shows without them.</summary>
    public BusinessRules? Rules { get; init; }
}

public sealed class TheatreCapacitySettings
{
    public bool Enabled { get; init; } = true;
    public double Multiplier { get; init; } = 3.0;
}

public sealed class ControlGroupSettings
{
    public bool Enabled { get; init; } = true;
    public double Percentage { get; init; } = 5;
    public int Seed { get; init; } = 42;
}

public sealed class RankingSettings
{
    /// <summary>Use the event's current learned model when one is registered; false always uses the reference heuristic.</summary>
    public bool UseLearnedModel { get; init; } = true;
    /// <summary>Share of past visitors held out (seeded) to evaluate rankers and decide promotions.</summary>
    public double HoldoutShare { get; init; } = 0.2;
    /// <summary>Seed of the holdout split, training sample, negative sampling and tree learner.</summary>
    public int Seed { get; init; } = 42;
    /// <summary>A candidate is promoted only if its holdout NDCG@10 beats the current model's by this relative margin.</summary>
    public double PromotionMargin { get; init; } = 0.01;
    /// <summary>At most this many past visitors (seeded sample) become training queries.</summary>
    public int TrainingVisitors { get; init; } = 12000;
    /// <summary>Sessions a visitor did not attend kept per training query, sampled uniformly.</summary>
    public int NegativesPerVisitor { get; init; } = 60;
    // Small trees: as good on held-out data as 100 x 16 leaves, and step 4 walks them millions of times.
    public int Trees { get; init; } = 40;
    public int Leaves { get; init; } = 8;
    public double LearningRate { get; init; } = 0.2;
    public int MinExamplesPerLeaf { get; init; } = 20;
}

public sealed class BusinessRules
{
    public bool Enabled { get; init; } = true;
    public required List<string> VetRoles { get; init; }
    public required List<string> NurseRoles { get; init; }
    public List<string> EquineMixedExclusions { get; init; } = [];
    public List<string> SmallAnimalExclusions { get; init; } = [];
    public List<string> VetExclusions { get; init; } = [];
    public List<string> NurseStreams { get; init; } = [];
    /// <summary>Sessions in these streams need one of the keywords in the visitor's Company or JobTitle.</summary>
    public List<string> EquineStreamKeywords { get; init; } = [];
    public List<string> EquineVisitorKeywords { get; init; } = [];
    public List<string> EquineBlockedTitleKeywords { get; init; } = [];
}

public sealed class GraphSettings
{
    /// <summary>dev, test or prod; a run may override it.</summary>
    public string Environment { get; init; } = "dev";
    /// <summary>Weekly runs add only new nodes and relationships (the reference's create_only_new).</summary>
    public bool CreateOnlyNew { get; init; }
}

/// <summary>How the orchestration retries each step's activity when it fails for a reason other than bad input.</summary>
public sealed class OrchestrationSettings
{
    public RetrySettings DataPreparation { get; init; } = new();
    public RetrySettings GraphPreparation { get; init; } = new();
    /// <summary>Remote embedding services throttle: more attempts by default.</summary>
    public RetrySettings Embeddings { get; init; } = new() { MaxAttempts = 5 };
    public RetrySettings Recommendations { get; init; } = new();
    public RetrySettings Retraining { get; init; } = new() { MaxAttempts = 2 };
}

public sealed class RetrySettings
{
    /// <summary>Attempts in all, the first included; 1 never retries.</summary>
    public int MaxAttempts { get; init; } = 3;
    public double FirstRetrySeconds { get; init; } = 5;
    public double BackoffCoefficient { get; init; } = 2;
    public double MaxRetrySeconds { get; init; } = 300;
}

/// <summary>Marks a property that is not a YAML key.</summary>
[AttributeUsage(AttributeTargets.Property)]
public sealed class ConfigIgnoreAttribute : Attribute;
