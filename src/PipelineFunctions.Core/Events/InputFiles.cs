namespace PipelineFunctions.Core.Events;

/// <summary>Input file names, relative to the run's input location.</summary>
public sealed class InputFiles
{
    public required string MainRegistration { get; init; }
    public required string SecondaryRegistration { get; init; }
    public required string MainDemographics { get; init; }
    public required string SecondaryDemographics { get; init; }
    public required string SessionsThisYear { get; init; }
    public required string SessionsPastMain { get; init; }
    public required string SessionsPastSecondary { get; init; }
    public required string ScansPastMain { get; init; }
    public required string ScanReferencePastMain { get; init; }
    public required string ScansPastSecondary { get; init; }
    public required string ScanReferencePastSecondary { get; init; }
    public required string JobRoleToStream { get; init; }
    public required string SpecialisationToStream { get; init; }
    public required string TheatreCapacity { get; init; }
    /// <summary>Vet shows: company name -> practice type, fills a missing practice type.</summary>
    public string? Practices { get; init; }
    /// <summary>After the show: this year's seminar scans, for the post-show analysis (absent before the show).</summary>
    public string? ScansThisYear { get; init; }
    /// <summary>Their scan reference, short name -> seminar name; given together with <see cref="ScansThisYear"/>.</summary>
    public string? ScanReferenceThisYear { get; init; }
}
