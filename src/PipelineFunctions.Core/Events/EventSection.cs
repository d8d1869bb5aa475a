namespace PipelineFunctions.Core.Events;

public sealed class EventSection
{
    /// <summary>Event name, e.g. vet_lva; also the graph's `show` property and the storage prefix.</summary>
    public required string Name { get; init; }
    /// <summary>Short name of this show, used in column and label suffixes (BadgeId_last_year_lva).</summary>
    public required string MainEventName { get; init; }
    /// <summary>Short name of the partner show.</summary>
    public required string SecondaryEventName { get; init; }
    public required int Year { get; init; }
    /// <summary>First show day; Days_since_registration counts to it.</summary>
    public required DateOnly Date { get; init; }
    public DateOnly? EndDate { get; init; }
    public required List<string> ShowsThisYear { get; init; }
    public required List<string> ShowsLastYearMain { get; init; }
    public required List<string> ShowsLastYearSecondary { get; init; }
}
