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
    /// The cosine threshold step 4 applies: recommendation.min_similarity_score for the configured embeddings.generator (its
    /// own value in min_similarity_score_by_generator, if any). One place, so no reader pairs the wrong two.
    /// </summary>
    public double SimilarityThreshold() => Recommendation.MinSimilarityScoreFor(Embeddings.Generator);

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
