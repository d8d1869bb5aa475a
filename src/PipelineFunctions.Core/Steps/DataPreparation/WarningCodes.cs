namespace PipelineFunctions.Core.Steps.DataPreparation;

/// <summary>Warning codes, stable so scripts can look for them.</summary>
internal static class WarningCodes
{
    public const string MissingIdentity = "missing_email_or_name";
    public const string DuplicateBadgeId = "duplicate_badge_id";
    public const string UnknownShowRef = "unknown_show_ref";
    public const string ShowRefFromSource = "show_ref_from_source";
    public const string MissingRegistrationDate = "missing_registration_date";
    public const string DuplicateSessionId = "duplicate_session_id";
    public const string UnknownScanShortName = "scan_short_name_not_in_reference";
    public const string UnmatchedSeminar = "seminar_not_in_session_export";
    public const string DuplicateShortName = "duplicate_short_name";
    public const string EmptyInput = "empty_input";
    public const string UnknownScanBadge = "scan_badge_not_analysed";
}
