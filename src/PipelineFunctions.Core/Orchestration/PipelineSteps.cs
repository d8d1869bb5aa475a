namespace PipelineFunctions.Core.Orchestration;

/// <summary>The four steps, in pipeline order, by the names their folders and summaries use.</summary>
public static class PipelineSteps
{
    public const string DataPreparation = "data_preparation", GraphPreparation = "graph_preparation", Embeddings = "embeddings",
        Recommendations = "recommendations";

    public static IReadOnlyList<string> All { get; } = [DataPreparation, GraphPreparation, Embeddings, Recommendations];

    /// <summary>After the show, on request (<see cref="PipelineRunRequest.Analyse"/>): not one of the four, never reused.</summary>
    public const string PostShowAnalysis = "post_show_analysis";
}
