using PipelineFunctions.Core.Inputs;

namespace PipelineFunctions.Core.Steps.DataPreparation;

/// <summary>A registered visitor after cleaning, with demographic answers and (this year) their past selves.</summary>
internal sealed class PreparedVisitor(RegistrationRow registration, ShowGroup group)
{
    public RegistrationRow Registration { get; } = registration;
    public ShowGroup Group { get; } = group;
    /// <summary>The show ref after filling a blank one from Source.</summary>
    public string ShowRef { get; set; } = registration.ShowRef;
    /// <summary>One slot per kept question, in config order.</summary>
    public string?[] Answers { get; set; } = [];
    public string Identity { get; } = TextKeys.VisitorIdentity(registration.Forename, registration.Surname, registration.Email);
    public string? PastMainBadgeId { get; set; }
    public string? PastSecondaryBadgeId { get; set; }
    public int? DaysSinceRegistration { get; set; }
    /// <summary>Kept as a date, not as its text: the text is only needed once, when the visitor is written.</summary>
    public DateTime? Registered { get; set; }
    public string RegistrationDate => Registered is { } registered ? InputDates.Format(registered) : "";
}
