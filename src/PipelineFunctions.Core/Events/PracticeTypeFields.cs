namespace PipelineFunctions.Core.Events;

public sealed class PracticeTypeFields
{
    public string? ThisYear { get; init; }
    public string? PastMain { get; init; }
    public string? PastSecondary { get; init; }
}
