namespace PipelineFunctions.LocalEngine.Runs;

/// <summary>Filters of the instance list (Durable's list query: status, created time window, page size).</summary>
public sealed record RunQuery(
    IReadOnlyCollection<string>? Statuses = null, DateTime? CreatedFrom = null, DateTime? CreatedTo = null, int Top = 100, string? Event = null);
