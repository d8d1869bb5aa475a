using PipelineFunctions.Core.Orchestration.FanOut;

namespace PipelineFunctions.Core.Orchestration;

/// <summary>Every activity the orchestration can call. Each host has exactly one activity function per name.</summary>
public static class PipelineActivityNames
{
    public const string PlanRun = "PlanRun", PrepareData = "PrepareData", ReuseStep = "ReuseStep", RetrainRanker = "RetrainRanker",
        PublishRunSummary = "PublishRunSummary", NotifyRunEnded = "NotifyRunEnded", RecordRunEnd = "RecordRunEnd",
        AnalysePostShow = "AnalysePostShow";

    public const string BeginGraphPreparation = "BeginGraphPreparation", RunGraphProcessor = "RunGraphProcessor",
        FinishGraphPreparation = "FinishGraphPreparation";

    public const string BeginEmbeddings = "BeginEmbeddings", EmbedSessionBatch = "EmbedSessionBatch", FinishEmbeddings = "FinishEmbeddings";

    public const string BeginRecommendations = "BeginRecommendations", ScoreRecommendationShard = "ScoreRecommendationShard",
        FinishRecommendations = "FinishRecommendations";

    public static IReadOnlyList<string> All { get; } =
    [
        PlanRun, PrepareData, BeginGraphPreparation, RunGraphProcessor, FinishGraphPreparation, BeginEmbeddings, EmbedSessionBatch,
        FinishEmbeddings, BeginRecommendations, ScoreRecommendationShard, FinishRecommendations, ReuseStep, AnalysePostShow, RetrainRanker,
        PublishRunSummary, NotifyRunEnded, RecordRunEnd,
    ];

    /// <summary>The one activity of a step that is not fanned out (step 1: its inputs are read in one pass).</summary>
    public static string ForStep(string step) => step switch
    {
        PipelineSteps.DataPreparation => PrepareData,
        _ => throw new ArgumentOutOfRangeException(nameof(step), step, "not a single-activity step"),
    };

    /// <summary>The activities of a fanned-out step, or null for a step that runs as one activity.</summary>
    public static FanOutActivityNames? FanOutFor(string step) => step switch
    {
        PipelineSteps.GraphPreparation => new(BeginGraphPreparation, RunGraphProcessor, FinishGraphPreparation),
        PipelineSteps.Embeddings => new(BeginEmbeddings, EmbedSessionBatch, FinishEmbeddings),
        PipelineSteps.Recommendations => new(BeginRecommendations, ScoreRecommendationShard, FinishRecommendations),
        PipelineSteps.DataPreparation => null,
        _ => throw new ArgumentOutOfRangeException(nameof(step), step, "not a pipeline step"),
    };
}
