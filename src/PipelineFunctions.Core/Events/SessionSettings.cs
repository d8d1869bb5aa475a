namespace PipelineFunctions.Core.Events;

public sealed class SessionSettings
{
    /// <summary>Titles dropped case-insensitively (placeholders such as "session tba").</summary>
    public List<string> TitlesToRemove { get; init; } = [];
    /// <summary>Sponsor abbreviations expanded in sponsored_by (the reference's map_vets).</summary>
    public Dictionary<string, string> SponsorAbbreviations { get; init; } = [];
}
