using PipelineFunctions.Core.Artifacts;
using PipelineFunctions.Core.Graph;
using Step1 = PipelineFunctions.Core.Steps.DataPreparation.DataPreparationOutputNames;

namespace PipelineFunctions.Core.Steps.GraphPreparation;

/// <summary>
/// Step 1's artifacts that step 2 reads, verified against the manifest and shared read-only. Each processor reads only
/// the ones it names (<see cref="IGraphProcessor.Inputs"/>), so a processor running alone holds only its own inputs.
/// </summary>
internal sealed class GraphPreparationInputs
{
    /// <summary>Every step-1 output step 2 reads, in the order its manifest lists them.</summary>
    public static readonly IReadOnlyList<string> All =
    [
        Step1.VisitorsThisYear, Step1.VisitorsPastMain, Step1.VisitorsPastSecondary, Step1.SessionsThisYear, Step1.SessionsPastMain,
        Step1.SessionsPastSecondary, Step1.Streams, Step1.JobRoleStreams, Step1.SpecialisationStreams, Step1.ScansPastMain, Step1.ScansPastSecondary,
    ];

    private readonly IReadOnlyDictionary<string, ArtifactTable> _tables;
    private readonly Dictionary<string, string>? _streams;

    private GraphPreparationInputs(IReadOnlyDictionary<string, ArtifactTable> tables, Dictionary<string, string>? streams)
    {
        _tables = tables;
        _streams = streams;
    }

    public ArtifactTable VisitorsThisYear => Table(Step1.VisitorsThisYear);
    public ArtifactTable VisitorsPastMain => Table(Step1.VisitorsPastMain);
    public ArtifactTable VisitorsPastSecondary => Table(Step1.VisitorsPastSecondary);
    public ArtifactTable SessionsThisYear => Table(Step1.SessionsThisYear);
    public ArtifactTable SessionsPastMain => Table(Step1.SessionsPastMain);
    public ArtifactTable SessionsPastSecondary => Table(Step1.SessionsPastSecondary);
    public Dictionary<string, string> Streams => _streams ?? throw NotRead(Step1.Streams);
    public ArtifactTable JobRoleStreams => Table(Step1.JobRoleStreams);
    public ArtifactTable SpecialisationStreams => Table(Step1.SpecialisationStreams);
    public ArtifactTable ScansPastMain => Table(Step1.ScansPastMain);
    public ArtifactTable ScansPastSecondary => Table(Step1.ScansPastSecondary);

    public ArtifactTable Visitors(VisitorKind kind) => Table(VisitorsName(kind));

    /// <summary>The step-1 output of the visitors of <paramref name="kind"/>.</summary>
    public static string VisitorsName(VisitorKind kind) => kind switch
    {
        VisitorKind.ThisYear => Step1.VisitorsThisYear,
        VisitorKind.PastMain => Step1.VisitorsPastMain,
        _ => Step1.VisitorsPastSecondary,
    };

    /// <summary>The step-1 outputs step 2 reads, for its manifest.</summary>
    public static IReadOnlyList<ManifestOutput> Consumed(ArtifactManifest manifest) => All.Select(manifest.Output).ToList();

    /// <summary>Refuses a manifest of another step before anything is read or written.</summary>
    public static void CheckIsStep1(ArtifactManifest manifest)
    {
        if (manifest.Step != Step1.StepName)
            throw new PipelineInputException(manifest.Step, $"step 2 needs the manifest of step 1 ({Step1.StepName}), got one of '{manifest.Step}'");
    }

    /// <summary>Every input of step 2.</summary>
    public static Task<GraphPreparationInputs> ReadAsync(IArtifactStore store, ArtifactManifest manifest, CancellationToken cancellationToken) =>
        ReadAsync(store, manifest, All, cancellationToken);

    /// <summary>The named inputs only, read in parallel.</summary>
    public static Task<GraphPreparationInputs> ReadAsync(IArtifactStore store, ArtifactManifest manifest, IEnumerable<string> names,
        CancellationToken cancellationToken) =>
        ReadAsync(store, manifest, names, _ => null, cancellationToken);

    /// <summary>The named inputs only, read in parallel, each table with the columns <paramref name="columns"/> gives (null: all).</summary>
    public static async Task<GraphPreparationInputs> ReadAsync(IArtifactStore store, ArtifactManifest manifest, IEnumerable<string> names,
        Func<string, IReadOnlyCollection<string>?> columns, CancellationToken cancellationToken)
    {
        CheckIsStep1(manifest);
        var wanted = names.Distinct().ToList();
        var unknown = wanted.Except(All).ToList();
        if (unknown.Count > 0) throw new ArgumentException($"not an input of step 2: {string.Join(", ", unknown)}", nameof(names));

        var streams = wanted.Contains(Step1.Streams)
            ? ArtifactReader.ReadJsonAsync<Dictionary<string, string>>(store, manifest.Output(Step1.Streams), cancellationToken)
            : Task.FromResult<Dictionary<string, string>>(null!);
        var tables = wanted.Where(n => n != Step1.Streams)
            .Select(n => ArtifactReader.ReadTableAsync(store, manifest.Output(n), columns(n), cancellationToken)).ToList();
        await Task.WhenAll(tables.Append<Task>(streams));
        return new GraphPreparationInputs(tables.ToDictionary(t => t.Result.Name, t => t.Result), streams.Result);
    }

    private ArtifactTable Table(string name) => _tables.TryGetValue(name, out var table) ? table : throw NotRead(name);

    /// <summary>A processor used an input it does not name: a bug, caught on the sample by every test of step 2.</summary>
    private static InvalidOperationException NotRead(string name) =>
        new($"step 2 did not read {name}: add it to the inputs of the processor that uses it");
}
