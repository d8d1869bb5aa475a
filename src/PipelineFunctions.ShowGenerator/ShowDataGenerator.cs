using System.Globalization;
using PipelineFunctions.Core;
using PipelineFunctions.Core.Events;
using PipelineFunctions.ShowGenerator.Writers;

namespace PipelineFunctions.ShowGenerator;

/// <summary>
/// `pa generate`: a complete, realistic input set for one event in the reference system's exact formats, with a
/// planted structure (personas with stream preferences, returning visitors, attendance that follows preferences)
/// and the exports' known quirks. Same config, options and seed give byte-identical files: every choice comes from
/// one seeded <see cref="Random"/>, iterated in a fixed order, written in invariant culture with "\n" line endings.
/// </summary>
public static class ShowDataGenerator
{
    public static GenerationSummary Generate(EventConfig config, GenerationOptions options, string folder,
        CancellationToken cancellationToken = default)
    {
        var data = Build(config, options);
        cancellationToken.ThrowIfCancellationRequested();
        return Write(data, folder, cancellationToken);
    }

    internal static GeneratedShowData Build(EventConfig config, GenerationOptions options)
    {
        if (options.Visitors is < GenerationOptions.MinVisitors or > GenerationOptions.MaxVisitors)
            throw new PipelineInputException("--visitors", string.Create(CultureInfo.InvariantCulture,
                $"must be between {GenerationOptions.MinVisitors} and {GenerationOptions.MaxVisitors:N0} (got {options.Visitors})"));

        var profile = GenerationProfile.For(options.Profile ?? GenerationProfile.DefaultFor(config));
        var shows = ShowPlanner.Plan(config);
        var streams = new StreamCatalogue(profile, config);
        var personas = new PersonaModel(profile, streams.Names);
        var topics = new TopicCatalogue(profile, streams);

        var master = new Random(options.Seed);
        var companyRng = master.Fork();
        var peopleRng = master.Fork();
        var populationRng = master.Fork();
        var badgeRng = master.Fork();
        var registrationRng = master.Fork();
        var sessionRngs = shows.Select(_ => master.Fork()).ToList();
        var pastMainScanRng = master.Fork();
        var pastSecondaryScanRng = master.Fork();
        var demographicsSeed = master.Next();
        var topicRng = master.Fork();

        var companies = CompanyDirectory.Create(profile, CompanyDirectory.CountFor(options.Visitors), companyRng);
        var people = new PersonFactory(profile, personas, companies, topics, peopleRng, topicRng);
        var population = Population.Build(people, options.Visitors, populationRng);
        var badges = new BadgeIdFactory(badgeRng);
        var registrations = new RegistrationBuilder(config, profile, people, badges, registrationRng).Build(shows, population);

        var titles = new SessionTitleFactory(profile, topics);
        var programmeBuilder = new SessionProgrammeBuilder(config, profile, streams, topics, titles);
        var programmes = shows.Select((show, i) => programmeBuilder.Build(show, options.Visitors, sessionRngs[i])).ToList();

        // The past main show (a year ago) comes before the past secondary one (six months ago): visitors of both
        // favour at the secondary show the topics they attended at the main one.
        var scans = new ScanBuilder(personas, badges);
        var pastMainScans = scans.Build(programmes[(int)ShowRole.PastMain], registrations.VisitorsOf(ShowRole.PastMain), pastMainScanRng);
        var pastSecondaryScans = scans.Build(programmes[(int)ShowRole.PastSecondary], registrations.VisitorsOf(ShowRole.PastSecondary),
            pastSecondaryScanRng, pastMainScans.TopicsAttended);

        return new GeneratedShowData(config, options, profile, streams, personas, topics, shows, companies, population, registrations, programmes,
            pastMainScans, pastSecondaryScans, demographicsSeed);
    }

    internal static GenerationSummary Write(GeneratedShowData data, string folder, CancellationToken cancellationToken = default)
    {
        var config = data.Config;
        var inputs = config.Inputs;
        var oldFormat = config.Registration.OldFormat;
        CheckFileNames(config);
        Directory.CreateDirectory(folder);
        var files = new List<GeneratedFile>();

        void Emit(string name, Func<string, long> write)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var path = Path.Combine(folder, name);
            var directory = Path.GetDirectoryName(path);
            if (!string.IsNullOrEmpty(directory)) Directory.CreateDirectory(directory);
            var rows = write(path);
            files.Add(new GeneratedFile(name, rows, new FileInfo(path).Length));
        }

        var registrations = data.Registrations;
        Emit(inputs.MainRegistration, path => RegistrationJsonWriter.Write(path, registrations.MainFile, oldFormat, cancellationToken));
        Emit(inputs.SecondaryRegistration, path => RegistrationJsonWriter.Write(path, registrations.SecondaryFile, oldFormat, cancellationToken));

        var answers = new DemographicAnswerBuilder(config, data.Profile, new Random(data.DemographicsSeed));
        Emit(inputs.MainDemographics,
            path => DemographicsJsonWriter.Write(path, answers.AnswersFor(registrations.MainFile), oldFormat, cancellationToken));
        Emit(inputs.SecondaryDemographics,
            path => DemographicsJsonWriter.Write(path, answers.AnswersFor(registrations.SecondaryFile), oldFormat, cancellationToken));

        Emit(inputs.SessionsThisYear, path => SessionCsvWriter.Write(path, data.Programme(ShowRole.ThisYear)));
        Emit(inputs.SessionsPastMain, path => SessionCsvWriter.Write(path, data.Programme(ShowRole.PastMain)));
        Emit(inputs.SessionsPastSecondary, path => SessionCsvWriter.Write(path, data.Programme(ShowRole.PastSecondary)));

        Emit(inputs.ScansPastMain, path => ScanCsvWriter.WriteScans(path, data.PastMainScans.Scans));
        Emit(inputs.ScanReferencePastMain, path => ScanCsvWriter.WriteReference(path, data.PastMainScans.Reference));
        Emit(inputs.ScansPastSecondary, path => ScanCsvWriter.WriteScans(path, data.PastSecondaryScans.Scans));
        Emit(inputs.ScanReferencePastSecondary, path => ScanCsvWriter.WriteReference(path, data.PastSecondaryScans.Reference));

        var streams = data.Streams.Names;
        Emit(inputs.JobRoleToStream, path => StreamMatrixCsvWriter.Write(path, StreamMatrixCsvWriter.JobRoleColumn, streams,
            data.Profile.JobRoles.Select(r => (r.Role, r.StreamAffinity))));
        Emit(inputs.SpecialisationToStream, path => StreamMatrixCsvWriter.Write(path, StreamMatrixCsvWriter.SpecialisationColumn, streams,
            data.Profile.Specialisations.Select(s => (s.Answer, s.StreamAffinity))));
        Emit(inputs.TheatreCapacity, path => TheatreCapacityCsvWriter.Write(path, data.Programme(ShowRole.ThisYear)));
        if (inputs.Practices is { } practices)
            Emit(practices, path => PracticesCsvWriter.Write(path, VisitorCompanies(registrations)));

        return new GenerationSummary(config.Event.Name, data.Profile.Kind, data.Options.Seed, Path.GetFullPath(folder),
            data.Options.Visitors, data.Population.Returning, files);
    }

    /// <summary>The companies of everyone registered at a configured show.</summary>
    private static IEnumerable<Company> VisitorCompanies(RegistrationSet registrations)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        return registrations.MainFile.Concat(registrations.SecondaryFile)
            .Where(r => r.Show is not null)
            .Select(r => r.Person.Company)
            .Where(c => seen.Add(c.Name));
    }

    /// <summary>Input names are plain relative paths, one file each: two inputs naming the same file would overwrite each other.</summary>
    private static void CheckFileNames(EventConfig config)
    {
        var inputs = config.Inputs;
        var named = new List<(string Key, string Name)>
        {
            ("inputs.main_registration", inputs.MainRegistration), ("inputs.secondary_registration", inputs.SecondaryRegistration),
            ("inputs.main_demographics", inputs.MainDemographics), ("inputs.secondary_demographics", inputs.SecondaryDemographics),
            ("inputs.sessions_this_year", inputs.SessionsThisYear), ("inputs.sessions_past_main", inputs.SessionsPastMain),
            ("inputs.sessions_past_secondary", inputs.SessionsPastSecondary), ("inputs.scans_past_main", inputs.ScansPastMain),
            ("inputs.scan_reference_past_main", inputs.ScanReferencePastMain), ("inputs.scans_past_secondary", inputs.ScansPastSecondary),
            ("inputs.scan_reference_past_secondary", inputs.ScanReferencePastSecondary), ("inputs.job_role_to_stream", inputs.JobRoleToStream),
            ("inputs.specialisation_to_stream", inputs.SpecialisationToStream), ("inputs.theatre_capacity", inputs.TheatreCapacity),
        };
        if (inputs.Practices is not null) named.Add(("inputs.practices", inputs.Practices));

        var seen = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var (key, name) in named)
        {
            if (string.IsNullOrWhiteSpace(name) || Path.IsPathRooted(name) || name.Replace('\\', '/').Split('/').Contains(".."))
                throw new PipelineInputException(config.SourcePath, $"'{name}' is not a file name relative to the output folder", field: key);
            if (!seen.TryAdd(name, key))
                throw new PipelineInputException(config.SourcePath,
                    $"'{name}' is also the file of {seen[name]}: each input needs its own file", field: key);
        }
    }
}
