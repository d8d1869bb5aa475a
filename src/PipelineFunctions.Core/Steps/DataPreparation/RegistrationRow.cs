namespace PipelineFunctions.Core.Steps.DataPreparation;

/// <summary>One registration as exported, whichever field-name format the export used.</summary>
internal sealed record RegistrationRow(
    string File, long Row,
    string BadgeId, string ShowRef, string BadgeType, string Source,
    string Email, string Forename, string Surname, string JobTitle, string Company, string Country,
    string Tel, string Mobile, string RegistrationDate, string[] Extra);
