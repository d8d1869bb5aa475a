namespace PipelineFunctions.Core.Events;

public sealed class RegistrationSettings
{
    /// <summary>true: PascalCase export (Email, BadgeId, ShowRef...); false: snake_case export (email, badge_id, show_ref...).</summary>
    public bool OldFormat { get; init; } = true;
    public required List<string> ValidBadgeTypes { get; init; }
    /// <summary>Demographic questions kept as columns (question text as in the export).</summary>
    public required List<string> QuestionsToKeep { get; init; }
    /// <summary>Vet shows: infer a missing job role from JobTitle keywords, first matching rule wins.</summary>
    public List<JobRoleInferenceRule> JobRoleInference { get; init; } = [];
    /// <summary>Column (normalised question) holding the job role, e.g. job_role.</summary>
    public string JobRoleField { get; init; } = "job_role";
    /// <summary>Column holding the practice type / specialisation per visitor group.</summary>
    public PracticeTypeFields PracticeTypeFields { get; init; } = new();
    /// <summary>
    /// false (the reference's behaviour): past-show outputs hold only visitors who registered again this year.
    /// true: every valid past visitor, with their scans, e.g. as training data for a ranking model.
    /// </summary>
    public bool KeepAllPastVisitors { get => _keepAllPastVisitors; init => _keepAllPastVisitors = value; }
    private bool _keepAllPastVisitors;

    internal RegistrationSettings KeepingAllPastVisitors()
    {
        var copy = (RegistrationSettings)MemberwiseClone();
        copy._keepAllPastVisitors = true;
        return copy;
    }
    /// <summary>Extra visitor fields carried from the registration export besides the standard ones.</summary>
    public List<string> ExtraRegistrationFields { get; init; } = [];
    /// <summary>
    /// Step 1 warns when this year's visitors drift from last year's: a similarity attribute's or the stream mix's
    /// population stability index above this (0.2 is the usual "significant shift" line; see docs/data-drift.md).
    /// </summary>
    public double DriftThreshold { get; init; } = 0.2;
}
