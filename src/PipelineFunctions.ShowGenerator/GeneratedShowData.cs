using PipelineFunctions.Core.Events;

namespace PipelineFunctions.ShowGenerator;

/// <summary>
/// Everything the generator decided, before it is written: the planted structure (personas, returning visitors,
/// attendance) that recommendation quality can later be measured against. Demographic answers are drawn while
/// writing, from <see cref="DemographicsSeed"/>, so a million answer rows never sit in memory.
/// </summary>
internal sealed record GeneratedShowData(
    EventConfig Config,
    GenerationOptions Options,
    GenerationProfile Profile,
    StreamCatalogue Streams,
    PersonaModel Personas,
    TopicCatalogue Topics,
    IReadOnlyList<ShowPlan> Shows,
    CompanyDirectory Companies,
    Population Population,
    RegistrationSet Registrations,
    IReadOnlyList<SessionProgramme> Programmes,
    ScanSet PastMainScans,
    ScanSet PastSecondaryScans,
    int DemographicsSeed)
{
    public ShowPlan Show(ShowRole role) => Shows[(int)role];

    public SessionProgramme Programme(ShowRole role) => Programmes[(int)role];
}
