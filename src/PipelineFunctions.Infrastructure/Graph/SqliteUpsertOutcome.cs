namespace PipelineFunctions.Infrastructure.Graph;

/// <summary>What a keyed write did with one item; summed into <see cref="Core.Graph.GraphWriteStats"/>.</summary>
internal enum SqliteUpsertOutcome { Created, Updated, Skipped }
