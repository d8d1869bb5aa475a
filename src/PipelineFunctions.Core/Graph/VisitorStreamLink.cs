namespace PipelineFunctions.Core.Graph;

/// <summary>(visitor)-[:job_to_stream or :specialization_to_stream]->(Stream), the stream matched by its key.</summary>
public sealed record VisitorStreamLink(string BadgeId, string Stream);
