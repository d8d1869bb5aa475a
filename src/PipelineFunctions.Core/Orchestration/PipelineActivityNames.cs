namespace PipelineFunctions.Core.Orchestration;

/// <summary>Every activity the orchestration can call. Each host has exactly one activity function per name.</summary>
public static class PipelineActivityNames
{
    public const string PlanRun = "PlanRun", PrepareData = "PrepareData", PrepareGraph = "PrepareGraph", EmbedSessions = "EmbedSessions",
        Recommend = "Recommend", ReuseStep = "ReuseStep", RetrainRanker = "RetrainRanker",
        PublishRunSummary = "PublishRunSummary";

    public static IReadOnlyList<string> All { get; } =
        [PlanRun, PrepareData, PrepareGraph, EmbedSessions, Recommend, ReuseStep, RetrainRanker, PublishRunSummary];

    public static string ForStep(string step) => step switch
    {
        PipelineSteps.DataPreparation => PrepareData,
        PipelineSteps.GraphPreparation => PrepareGraph,
        PipelineSteps.Embeddings => EmbedSessions,
        PipelineSteps.Recommendations => Recommend,
        _ => throw new ArgumentOutOfRangeException(nameof(step), step, "not a pipeline step"),
    };
}
