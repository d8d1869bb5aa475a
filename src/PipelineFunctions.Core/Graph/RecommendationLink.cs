namespace PipelineFunctions.Core.Graph;

/// <summary>(Visitor_this_year)-[:IS_RECOMMENDED {similarity_score, generated_at}]->(Sessions_this_year).</summary>
public sealed record RecommendationLink(string BadgeId, string SessionId, double SimilarityScore);
