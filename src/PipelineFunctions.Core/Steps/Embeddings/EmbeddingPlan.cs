namespace PipelineFunctions.Core.Steps.Embeddings;

/// <summary>What step 3's plan settled (parts/plan.json): the model every batch uses, how many batches, and the counts so far.</summary>
/// <param name="StartedAt">When the plan started: the step's start in its metadata.</param>
/// <param name="Counts">The sessions and how many are stale; the fan-in adds the vectors the batches stored.</param>
internal sealed record EmbeddingPlan(DateTimeOffset StartedAt, string ModelId, int Dimensions, int Batches, IReadOnlyDictionary<string, long> Counts);
