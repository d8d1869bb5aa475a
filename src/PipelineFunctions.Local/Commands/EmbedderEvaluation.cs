using PipelineFunctions.Core.Steps.Recommendations.Ranking;

namespace PipelineFunctions.Local.Commands;

/// <summary>`pa evaluate`'s result for one embedder: the ranking methods on the shared holdout, with that embedder's vectors.</summary>
/// <param name="Generator">The embeddings.generator value (local, minilm, azure_openai).</param>
/// <param name="Model">The id of the model the vectors came from.</param>
/// <param name="Report">The within-show holdout.</param>
/// <param name="CrossShow">The cross-show evaluation; null when no past secondary-show visitor attended one of its sessions.</param>
internal sealed record EmbedderEvaluation(string Generator, string Model, EvaluationReport Report, CrossShowReport? CrossShow = null);
