using System.Diagnostics;
using System.Runtime.ExceptionServices;
using Microsoft.Extensions.Logging;
using PipelineFunctions.Core.Artifacts;
using PipelineFunctions.Core.Events;
using PipelineFunctions.Core.Inputs;
using static PipelineFunctions.Core.Steps.DataPreparation.DataPreparationOutputNames;

namespace PipelineFunctions.Core.Steps.DataPreparation;

/// <summary>
/// Step 1: reads every input, runs the registration, session and scan processors, and publishes the outputs,
/// the metadata and, last, the manifest. Everything is computed before anything is written, and a failure
/// while writing withdraws what was written, so a failed run publishes nothing.
/// </summary>
public sealed class DataPreparationStep(ILogger<DataPreparationStep> logger, TimeProvider time)
{
    /// <summary>Quarantined rows listed in full in the metadata; beyond this only the count (the CSV has them all).</summary>
    public const int QuarantineListLimit = 200;

    public static ArtifactPath OutputFolder(string eventName, string runId) => RunFolders.StepFolder(eventName, runId, StepName);

    public async Task<DataPreparationResult> RunAsync(DataPreparationRequest request, CancellationToken cancellationToken = default)
    {
        var config = request.Config;
        var files = config.Inputs;
        var folder = OutputFolder(config.Event.Name, request.RunId);
        using var scope = logger.BeginScope(new Dictionary<string, object>
        {
            ["event"] = config.Event.Name, ["runId"] = request.RunId, ["step"] = StepName
        });
        var startedAt = time.GetUtcNow();
        var total = Stopwatch.StartNew();
        var warnings = new PreparationWarnings();

        var read = Stopwatch.StartNew();
        var inputs = await ReadInputsAsync(config, request.Inputs, warnings, cancellationToken);
        read.Stop();
        logger.LogInformation("Read {InputCount} inputs in {ElapsedMs} ms", inputs.Digests.Count, read.ElapsedMilliseconds);

        var processors = new SortedDictionary<string, ProcessorMetrics>(StringComparer.Ordinal);
        var watch = Stopwatch.StartNew();
        var registrations = new RegistrationProcessor(config, warnings).Process(inputs.Registrations, inputs.Answers, inputs.Practices);
        processors["registrations"] = new ProcessorMetrics(watch.ElapsedMilliseconds, registrations.Counts);
        // Only the kept visitors live on (in the outcome): every row read and every demographic answer can go now.
        inputs.ReleaseRegistrations();

        watch.Restart();
        var sessions = new SessionProcessor(config, warnings).Process(inputs.SessionsThisYear, inputs.SessionsPastMain, inputs.SessionsPastSecondary);
        processors["sessions"] = new ProcessorMetrics(watch.ElapsedMilliseconds, sessions.Counts);

        // Scans are matched as they are read (they need the kept visitors and sessions), the two shows' files side by side.
        var scanWarnings = (Main: new PreparationWarnings(), Secondary: new PreparationWarnings());
        var scansMainTask = Task.Run(() => ProcessScansAsync(request.Inputs, files.ScansPastMain, inputs.ReferencePastMain, sessions.PastMain,
            registrations.PastMain, scanWarnings.Main, cancellationToken), cancellationToken);
        var scansSecondaryTask = Task.Run(() => ProcessScansAsync(request.Inputs, files.ScansPastSecondary, inputs.ReferencePastSecondary,
            sessions.PastSecondary, registrations.PastSecondary, scanWarnings.Secondary, cancellationToken), cancellationToken);
        await AwaitAllReportingFirstInputError(scansMainTask, scansSecondaryTask);
        var (scansMain, scansMainDigest, scansMainMs) = scansMainTask.Result;
        var (scansSecondary, scansSecondaryDigest, scansSecondaryMs) = scansSecondaryTask.Result;
        warnings.AddAll(scanWarnings.Main);
        warnings.AddAll(scanWarnings.Secondary);
        processors["scans_past_main"] = new ProcessorMetrics(scansMainMs, scansMain.Counts);
        processors["scans_past_secondary"] = new ProcessorMetrics(scansSecondaryMs, scansSecondary.Counts);
        inputs.Digests[Inputs.ScansPastMainDigest] = scansMainDigest;
        inputs.Digests[Inputs.ScansPastSecondaryDigest] = scansSecondaryDigest;

        watch.Restart();
        var references = new ReferenceTableProcessor(warnings).Process(inputs.JobRoleStreams, config.Inputs.JobRoleToStream,
            inputs.SpecialisationStreams, config.Inputs.SpecialisationToStream, inputs.Theatres, config.Inputs.TheatreCapacity, sessions);
        processors["reference_tables"] = new ProcessorMetrics(watch.ElapsedMilliseconds, references.Counts);

        // Measured while the outputs are rendered and published (it reads the visitors only): only the metadata, last, needs it.
        var (thisYear, registeredPast) = (registrations.ThisYear, registrations.RegisteredPast);
        var measuring = Task.Run(() => new VisitorDrift(config, registrations.QuestionColumns).Measure(thisYear, registeredPast,
            references.JobRoleStreams, references.SpecialisationStreams), cancellationToken);
        // The past visitors who did not return go once measured (the outputs hold only the returning ones unless all are kept).
        registrations = registrations with { RegisteredPast = [] };
        DataDrift Drift()
        {
            var drift = measuring.GetAwaiter().GetResult();
            foreach (var drifted in drift.AboveThreshold)
                logger.LogWarning("{Warning}", DataDrift.WarningFor(drifted, drift.Threshold));
            return drift;
        }

        var q = registrations.QuestionColumns;
        var rendered = new List<RenderedOutput>
        {
            DataPreparationOutputs.Visitors(VisitorsThisYear, config, q, registrations.ThisYear, thisYear: true),
            DataPreparationOutputs.Visitors(VisitorsPastMain, config, q, registrations.PastMain, thisYear: false),
            DataPreparationOutputs.Visitors(VisitorsPastSecondary, config, q, registrations.PastSecondary, thisYear: false),
            DataPreparationOutputs.Sessions(SessionsThisYear, sessions.ThisYear),
            DataPreparationOutputs.Sessions(SessionsPastMain, sessions.PastMain),
            DataPreparationOutputs.Sessions(SessionsPastSecondary, sessions.PastSecondary),
            DataPreparationOutputs.Quarantine(sessions.Quarantined),
            DataPreparationOutputs.Streams(sessions.StreamCatalogue),
            DataPreparationOutputs.Scans(ScansPastMain, scansMain.Attended),
            DataPreparationOutputs.Scans(ScansPastSecondary, scansSecondary.Attended),
            DataPreparationOutputs.Mappings(JobRoleStreams, "job_role", references.JobRoleStreams),
            DataPreparationOutputs.Mappings(SpecialisationStreams, "specialisation", references.SpecialisationStreams),
            DataPreparationOutputs.Theatres(references.Theatres),
        };

        // The outputs are rendered while they are published; the metadata, published last, times all of it.
        DataPreparationMetadata? metadata = null;
        DataPreparationMetadata Metadata()
        {
            total.Stop();
            return metadata = new DataPreparationMetadata(StepName, config.Event.Name, request.RunId, startedAt, time.GetUtcNow(),
                total.ElapsedMilliseconds, read.ElapsedMilliseconds, processors, sessions.Quarantined.Count,
                sessions.Quarantined.Take(QuarantineListLimit).ToList(), warnings.ToList())
            { Drift = Drift() };
        }
        var metadataOutput = DataPreparationOutputs.Json(DataPreparationOutputNames.Metadata, Metadata, null);

        var outputs = await PublishAsync(request.Outputs, folder, rendered, metadataOutput, cancellationToken);
        var inputsInManifest = inputs.Digests.Select(d => new ManifestInput(d!.Name, d.Uri, d.Sha256, d.Bytes)).ToList();
        var manifest = new ArtifactManifest(StepName, config.Event.Name, request.RunId, time.GetUtcNow(), inputsInManifest, outputs);
        var manifestPath = folder.Combine(ArtifactManifest.FileName);
        try
        {
            await request.Outputs.PutAsync(manifestPath, new MemoryStream(PipelineJson.Serialize(manifest)), cancellationToken);
        }
        catch
        {
            await StepOutputs.WithdrawAsync(request.Outputs, Paths(request.Outputs, outputs), logger);
            throw;
        }

        logger.LogInformation("Published {OutputCount} outputs: {Visitors} visitors this year, {Sessions} sessions, {Warnings} warning kinds",
            outputs.Count, registrations.ThisYear.Count, sessions.ThisYear.Count, metadata!.Warnings.Count);
        return new DataPreparationResult(request.Outputs.GetUri(manifestPath), manifest, metadata);
    }

    /// <summary>
    /// Publishes the outputs side by side (rendering is CPU work, one output per core), then <paramref name="last"/>, whose content
    /// (the metadata) times all the others. The manifest lists them in the given order whatever order they finish in.
    /// </summary>
    private async Task<List<ManifestOutput>> PublishAsync(IArtifactStore store, ArtifactPath folder, List<RenderedOutput> rendered,
        RenderedOutput last, CancellationToken cancellationToken)
    {
        var published = new ManifestOutput?[rendered.Count + 1];
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        Exception? firstFailure = null;
        var next = -1;
        async Task PublishOne(int index, RenderedOutput output)
        {
            var stored = await store.PutRenderedAsync(folder.Combine(output.Name), output.Write, stop.Token);
            published[index] = new ManifestOutput(output.Name, stored.Uri, stored.Sha256, stored.Length, output.Rows);
        }
        async Task Publisher()
        {
            int index;
            while ((index = Interlocked.Increment(ref next)) < rendered.Count && !stop.IsCancellationRequested)
            {
                try
                {
                    await PublishOne(index, rendered[index]);
                }
                catch (Exception e)
                {
                    // The first failure is the one reported; the others stop at their next check instead of writing on.
                    Interlocked.CompareExchange(ref firstFailure, e, null);
                    await stop.CancelAsync();
                    return;
                }
            }
        }

        var publishers = Math.Clamp(Environment.ProcessorCount, 2, rendered.Count);
        await Task.WhenAll(Enumerable.Range(0, publishers).Select(_ => Task.Run(Publisher, CancellationToken.None)));
        try
        {
            if (firstFailure is not null) ExceptionDispatchInfo.Throw(firstFailure);
            cancellationToken.ThrowIfCancellationRequested();
            await PublishOne(rendered.Count, last);
            return [.. published.Select(p => p!)];
        }
        catch
        {
            await StepOutputs.WithdrawAsync(store, Paths(store, published.OfType<ManifestOutput>()), logger);
            throw;
        }
    }

    /// <summary>Best effort: removes outputs of a publication that failed half way, so no partial step output remains.</summary>
    private static IEnumerable<ArtifactPath> Paths(IArtifactStore store, IEnumerable<ManifestOutput> published)
    {
        foreach (var output in published)
            if (store.TryGetPath(output.Uri, out var path)) yield return path;
    }

    private sealed class Inputs
    {
        public List<RegistrationRow> Registrations { get; } = [];
        public Dictionary<string, string?[]> Answers { get; set; } = [];
        public Dictionary<string, string>? Practices { get; set; }
        public List<SessionExportRow> SessionsThisYear { get; set; } = [];
        public List<SessionExportRow> SessionsPastMain { get; set; } = [];
        public List<SessionExportRow> SessionsPastSecondary { get; set; } = [];
        public Dictionary<string, string> ReferencePastMain { get; set; } = [];
        public Dictionary<string, string> ReferencePastSecondary { get; set; } = [];
        public List<StreamMapping> JobRoleStreams { get; set; } = [];
        public List<StreamMapping> SpecialisationStreams { get; set; } = [];
        public List<TheatreCapacity> Theatres { get; set; } = [];
        /// <summary>In manifest order; the scan files' entries are filled in once they are read, after the registrations.</summary>
        public List<InputFileDigest?> Digests { get; } = [];

        public const int ScansPastMainDigest = 8;
        public const int ScansPastSecondaryDigest = 10;

        public void ReleaseRegistrations()
        {
            Registrations.Clear();
            Registrations.TrimExcess();
            Answers = [];
        }
    }

    private static async Task<(ScanOutcome Outcome, InputFileDigest Digest, long ElapsedMs)> ProcessScansAsync(IArtifactStore store, string name,
        IReadOnlyDictionary<string, string> reference, IReadOnlyList<PreparedSession> sessions, IReadOnlyList<PreparedVisitor> visitors,
        PreparationWarnings warnings, CancellationToken cancellationToken)
    {
        var watch = Stopwatch.StartNew();
        await using var file = await InputFile.OpenAsync(store, name, cancellationToken);
        var outcome = new ScanProcessor(warnings).Process(SeminarScanReaders.ReadScans(file), reference, sessions, visitors);
        return (outcome, await file.FinishAsync(cancellationToken), watch.ElapsedMilliseconds);
    }

    /// <summary>Reads every input file; independent files are read concurrently (the big JSON exports dominate).</summary>
    private static async Task<Inputs> ReadInputsAsync(EventConfig config, IArtifactStore store, PreparationWarnings warnings,
        CancellationToken cancellationToken)
    {
        var inputs = new Inputs();
        var files = config.Inputs;
        var questionSlots = config.Registration.QuestionsToKeep.Select(TextKeys.QuestionColumn).Distinct(StringComparer.Ordinal)
            .Select((column, i) => (column, i)).ToDictionary(x => x.column, x => x.i, StringComparer.Ordinal);

        // Warnings are collected from several readers at once: give each its own collector and merge in a fixed order.
        async Task<(T Value, InputFileDigest Digest)> Read<T>(string name, Func<InputFile, Task<T>> parse)
        {
            await using var file = await InputFile.OpenAsync(store, name, cancellationToken);
            var value = await parse(file);
            return (value, await file.FinishAsync(cancellationToken));
        }

        // The scans are read after the registrations (see RunAsync); here only their header and whether they hold any scan.
        async Task<bool> Peek(string name, Func<InputFile, bool> peek)
        {
            await using var file = await InputFile.OpenAsync(store, name, cancellationToken);
            return peek(file);
        }

        var mainRegistrations = Task.Run(() => Read(files.MainRegistration, f => RegistrationJsonReader.ReadAsync(f, config.Registration,
            cancellationToken)), cancellationToken);
        var secondaryRegistrations = Task.Run(() => Read(files.SecondaryRegistration,
            f => RegistrationJsonReader.ReadAsync(f, config.Registration, cancellationToken)), cancellationToken);
        var mainAnswers = new Dictionary<string, string?[]>(StringComparer.Ordinal);
        var secondaryAnswers = new Dictionary<string, string?[]>(StringComparer.Ordinal);
        var mainDemographics = Task.Run(() => Read(files.MainDemographics, f => DemographicsJsonReader.ReadIntoAsync(f, config.Registration.OldFormat,
            questionSlots, mainAnswers, cancellationToken)), cancellationToken);
        var secondaryDemographics = Task.Run(() => Read(files.SecondaryDemographics,
            f => DemographicsJsonReader.ReadIntoAsync(f, config.Registration.OldFormat, questionSlots, secondaryAnswers,
            cancellationToken)), cancellationToken);

        var referenceWarnings = new PreparationWarnings();
        var small = Task.Run(async () =>
        {
            var sessionsThisYear = await Read(files.SessionsThisYear, f => Task.FromResult(SessionExportReader.Read(f)));
            var sessionsPastMain = await Read(files.SessionsPastMain, f => Task.FromResult(SessionExportReader.Read(f)));
            var sessionsPastSecondary = await Read(files.SessionsPastSecondary, f => Task.FromResult(SessionExportReader.Read(f)));
            var referenceMain = await Read(files.ScanReferencePastMain, f => Task.FromResult(SeminarScanReaders.ReadReference(f, referenceWarnings)));
            var scansMain = await Peek(files.ScansPastMain, SeminarScanReaders.HasScans);
            var referenceSecondary = await Read(files.ScanReferencePastSecondary,
                f => Task.FromResult(SeminarScanReaders.ReadReference(f, referenceWarnings)));
            var scansSecondary = await Peek(files.ScansPastSecondary, SeminarScanReaders.HasScans);
            var jobRoles = await Read(files.JobRoleToStream, f => Task.FromResult(ReferenceTableReaders.ReadMatrix(f,
                ReferenceTableReaders.JobRoleColumn)));
            var specialisations = await Read(files.SpecialisationToStream, f => Task.FromResult(ReferenceTableReaders.ReadMatrix(f,
                ReferenceTableReaders.SpecialisationColumn)));
            var theatres = await Read(files.TheatreCapacity, f => Task.FromResult(ReferenceTableReaders.ReadTheatres(f)));
            (Dictionary<string, string> Value, InputFileDigest Digest)? practices = files.Practices is null ? null
                : await Read(files.Practices, f => Task.FromResult(PracticesCsvReader.Read(f)));
            return (sessionsThisYear, sessionsPastMain, sessionsPastSecondary, referenceMain, scansMain, referenceSecondary, scansSecondary, jobRoles,
                specialisations, theatres, practices);
        }, cancellationToken);

        await AwaitAllReportingFirstInputError(mainRegistrations, secondaryRegistrations, mainDemographics, secondaryDemographics, small);

        var (sThis, sMain, sSecondary, rMain, scMain, rSecondary, scSecondary, jobRoles, specialisations, theatres, practicesRead) = small.Result;
        inputs.JobRoleStreams = jobRoles.Value;
        inputs.SpecialisationStreams = specialisations.Value;
        inputs.Theatres = theatres.Value;
        inputs.Registrations.AddRange(mainRegistrations.Result.Value);
        inputs.Registrations.AddRange(secondaryRegistrations.Result.Value);
        inputs.Answers = mainAnswers;
        foreach (var (badgeId, answers) in secondaryAnswers)
        {
            if (!mainAnswers.TryGetValue(badgeId, out var existing)) { mainAnswers[badgeId] = answers; continue; }
            for (var i = 0; i < existing.Length; i++) existing[i] ??= answers[i];
        }
        inputs.SessionsThisYear = sThis.Value;
        inputs.SessionsPastMain = sMain.Value;
        inputs.SessionsPastSecondary = sSecondary.Value;
        inputs.ReferencePastMain = rMain.Value;
        inputs.ReferencePastSecondary = rSecondary.Value;
        inputs.Practices = practicesRead?.Value;
        foreach (var warning in referenceWarnings.ToList())
            foreach (var example in warning.Examples.DefaultIfEmpty())
                warnings.Add(warning.Code, warning.File, warning.Message, example?.Row, example?.Field, example?.Value);

        inputs.Digests.AddRange([mainRegistrations.Result.Digest, secondaryRegistrations.Result.Digest, mainDemographics.Result.Digest,
            secondaryDemographics.Result.Digest,
            sThis.Digest, sMain.Digest, sSecondary.Digest, rMain.Digest, null, rSecondary.Digest, null,
            jobRoles.Digest, specialisations.Digest, theatres.Digest]);
        if (practicesRead is { } p) inputs.Digests.Add(p.Digest);

        foreach (var (name, hasScans) in new[] { (files.ScansPastMain, scMain), (files.ScansPastSecondary, scSecondary) })
            if (!hasScans) warnings.Add(WarningCodes.EmptyInput, name, "the file has a header but no scans: no past attendance from this show");
        // Other inputs that may be empty without stopping the run, but never silently.
        var optional = new List<(string Name, long Rows, string Consequence)>
        {
            (files.SecondaryRegistration, secondaryRegistrations.Result.Value.Count, "no registrations of the partner show"),
            (files.MainDemographics, mainDemographics.Result.Value, "no demographic answers of this show"),
            (files.SecondaryDemographics, secondaryDemographics.Result.Value, "no demographic answers of the partner show"),
            (files.SessionsPastMain, sMain.Value.Count, "no past sessions of this show"),
            (files.SessionsPastSecondary, sSecondary.Value.Count, "no past sessions of the partner show"),
            (files.ScanReferencePastMain, rMain.Value.Count, "no scan reference: past scans of this show cannot be matched to sessions"),
            (files.ScanReferencePastSecondary, rSecondary.Value.Count,
                "no scan reference: past scans of the partner show cannot be matched to sessions"),
            (files.JobRoleToStream, jobRoles.Value.Count, "no job role maps to a stream"),
            (files.SpecialisationToStream, specialisations.Value.Count, "no specialisation maps to a stream"),
        };
        if (practicesRead is { } read) optional.Add((files.Practices!, read.Value.Count, "no practice types to fill in"));
        foreach (var (name, rows, consequence) in optional)
            if (rows == 0) warnings.Add(WarningCodes.EmptyInput, name, $"the file holds no rows: {consequence}");
        return inputs;
    }

    /// <summary>Waits for every reader; if several failed, the user sees one message: the first input error in file order.</summary>
    private static async Task AwaitAllReportingFirstInputError(params Task[] tasks)
    {
        try
        {
            await Task.WhenAll(tasks);
        }
        catch
        {
            var errors = tasks.Where(t => t.IsFaulted).SelectMany(t => t.Exception!.InnerExceptions).ToList();
            var inputError = errors.OfType<PipelineInputException>().FirstOrDefault();
            ExceptionDispatchInfo.Throw(inputError ?? errors.FirstOrDefault() ?? new OperationCanceledException());
        }
    }
}
