namespace PipelineFunctions.Core.Graph;

/// <summary>
/// What one bulk write did: created, updated (properties changed) and skipped (already there, kept) items; deleted by
/// replacement.
/// </summary>
public sealed record GraphWriteStats(long Created, long Updated, long Skipped, long Deleted = 0)
{
    public static readonly GraphWriteStats None = new(0, 0, 0);

    public static GraphWriteStats operator +(GraphWriteStats a, GraphWriteStats b) =>
        new(a.Created + b.Created, a.Updated + b.Updated, a.Skipped + b.Skipped, a.Deleted + b.Deleted);
}
