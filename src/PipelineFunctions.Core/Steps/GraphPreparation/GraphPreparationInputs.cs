using PipelineFunctions.Core.Artifacts;
using PipelineFunctions.Core.Graph;
using Step1 = PipelineFunctions.Core.Steps.DataPreparation.DataPreparationOutputNames;

namespace PipelineFunctions.Core.Steps.GraphPreparation;

/// <summary>Step 1's artifacts that step 2 reads, loaded once (verified against the manifest) and shared read-only by the processors.</summary>
internal sealed class GraphPreparationInputs
{
    public required ArtifactTable VisitorsThisYear { get; init; }
    public required ArtifactTable VisitorsPastMain { get; init; }
    public required ArtifactTable VisitorsPastSecondary { get; init; }
    public required ArtifactTable SessionsThisYear { get; init; }
    public required ArtifactTable SessionsPastMain { get; init; }
    public required ArtifactTable SessionsPastSecondary { get; init; }
    public required Dictionary<string, string> Streams { get; init; }
    public required ArtifactTable JobRoleStreams { get; init; }
    public required ArtifactTable SpecialisationStreams { get; init; }
    public required ArtifactTable ScansPastMain { get; init; }
    public required ArtifactTable ScansPastSecondary { get; init; }

    /// <summary>The step-1 outputs read, for step 2's manifest.</summary>
    public required IReadOnlyList<ManifestOutput> Consumed { get; init; }

    public ArtifactTable Visitors(VisitorKind kind) => kind switch
    {
        VisitorKind.ThisYear => VisitorsThisYear,
        VisitorKind.PastMain => VisitorsPastMain,
        _ => VisitorsPastSecondary,
    };

    public static async Task<GraphPreparationInputs> ReadAsync(IArtifactStore store, ArtifactManifest manifest, CancellationToken cancellationToken)
    {
        if (manifest.Step != Step1.StepName)
            throw new PipelineInputException(manifest.Step, $"step 2 needs the manifest of step 1 ({Step1.StepName}), got one of '{manifest.Step}'");
        Task<ArtifactTable> Table(string name) => ArtifactReader.ReadTableAsync(store, manifest.Output(name), cancellationToken);

        var visitorsThisYear = Table(Step1.VisitorsThisYear);
        var visitorsPastMain = Table(Step1.VisitorsPastMain);
        var visitorsPastSecondary = Table(Step1.VisitorsPastSecondary);
        var sessionsThisYear = Table(Step1.SessionsThisYear);
        var sessionsPastMain = Table(Step1.SessionsPastMain);
        var sessionsPastSecondary = Table(Step1.SessionsPastSecondary);
        var streams = ArtifactReader.ReadJsonAsync<Dictionary<string, string>>(store, manifest.Output(Step1.Streams), cancellationToken);
        var jobRoles = Table(Step1.JobRoleStreams);
        var specialisations = Table(Step1.SpecialisationStreams);
        var scansMain = Table(Step1.ScansPastMain);
        var scansSecondary = Table(Step1.ScansPastSecondary);
        await Task.WhenAll(visitorsThisYear, visitorsPastMain, visitorsPastSecondary, sessionsThisYear, sessionsPastMain, sessionsPastSecondary,
            streams, jobRoles, specialisations, scansMain, scansSecondary);

        string[] consumed = [Step1.VisitorsThisYear, Step1.VisitorsPastMain, Step1.VisitorsPastSecondary, Step1.SessionsThisYear,
            Step1.SessionsPastMain, Step1.SessionsPastSecondary,
            Step1.Streams, Step1.JobRoleStreams, Step1.SpecialisationStreams, Step1.ScansPastMain, Step1.ScansPastSecondary];
        return new GraphPreparationInputs
        {
            VisitorsThisYear = visitorsThisYear.Result,
            VisitorsPastMain = visitorsPastMain.Result,
            VisitorsPastSecondary = visitorsPastSecondary.Result,
            SessionsThisYear = sessionsThisYear.Result,
            SessionsPastMain = sessionsPastMain.Result,
            SessionsPastSecondary = sessionsPastSecondary.Result,
            Streams = streams.Result,
            JobRoleStreams = jobRoles.Result,
            SpecialisationStreams = specialisations.Result,
            ScansPastMain = scansMain.Result,
            ScansPastSecondary = scansSecondary.Result,
            Consumed = consumed.Select(manifest.Output).ToList(),
        };
    }
}
