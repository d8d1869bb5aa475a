namespace PipelineFunctions.ShowGenerator;

/// <summary>One row of a registration export, as written (quirks included), with what it stands for.</summary>
internal sealed record Registration
{
    public required Person Person { get; init; }
    /// <summary>The configured show the row belongs to; null for a row of a show outside the config (unknown ShowRef quirk).</summary>
    public required ShowPlan? Show { get; init; }
    /// <summary>The show ref the row really belongs to (the demographics' showref).</summary>
    public required string ShowRef { get; init; }
    /// <summary>The ShowRef written: usually <see cref="ShowRef"/>, blank for about 1 % of rows.</summary>
    public required string WrittenShowRef { get; init; }
    public required string BadgeId { get; init; }
    public required string BadgeType { get; init; }
    public required string Source { get; init; }
    public required DateTime RegisteredAt { get; init; }
    public required string Email { get; init; }
    public required string Forename { get; init; }
    public required string Surname { get; init; }
    /// <summary>The badge type is one of the config's valid_badge_types (else Exhibitor, Press, Staff).</summary>
    public required bool IsVisitor { get; init; }
    /// <summary>A second row with an already-exported badge id (duplicate badge quirk); its person has no new demographics.</summary>
    public bool IsRepeatRow { get; init; }
    public bool HasDemographics { get; init; }
    public bool MissingJobRole { get; init; }
    public bool MissingSpecialisation { get; init; }
}
