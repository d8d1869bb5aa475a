namespace PipelineFunctions.Core.Steps.DataPreparation;

/// <summary>
/// Step 1, reference tables: the job-role and specialisation matrices, long-form and with stream names spelt
/// as the sessions spell them, and theatre capacities. Streams no session carries are kept, with a warning,
/// since a programme can still change.
/// </summary>
internal sealed class ReferenceTableProcessor(PreparationWarnings warnings)
{
    public const string StreamNotInSessions = "matrix_stream_not_in_sessions";
    public const string TheatreWithoutCapacity = "theatre_without_capacity";

    public ReferenceTableOutcome Process(
        IReadOnlyList<StreamMapping> jobRoles, string jobRoleFile,
        IReadOnlyList<StreamMapping> specialisations, string specialisationFile,
        IReadOnlyList<TheatreCapacity> theatres, string theatreFile,
        SessionOutcome sessions)
    {
        var canonical = sessions.StreamCatalogue.ToDictionary(s => s.Key, s => s.Key, StringComparer.OrdinalIgnoreCase);
        IReadOnlyList<StreamMapping> Canonicalise(IReadOnlyList<StreamMapping> mappings, string file)
        {
            foreach (var unknown in mappings.Select(m => m.Stream).Where(s => !canonical.ContainsKey(s)).Distinct(StringComparer.OrdinalIgnoreCase))
                warnings.Add(StreamNotInSessions, file, "stream column matches no session's stream", field: unknown);
            return mappings.Select(m => m with { Stream = canonical.GetValueOrDefault(m.Stream) ?? m.Stream }).ToList();
        }

        var known = new HashSet<string>(theatres.Select(t => t.Theatre), StringComparer.OrdinalIgnoreCase);
        foreach (var missing in sessions.ThisYear.Select(s => s.Theatre).Where(t => t.Length > 0
            && !known.Contains(t)).Distinct(StringComparer.OrdinalIgnoreCase).Order(StringComparer.Ordinal))
            warnings.Add(TheatreWithoutCapacity, theatreFile, "a theatre of this year's sessions has no capacity; it will not be capacity-limited",
                field: missing);

        var jobRoleStreams = Canonicalise(jobRoles, jobRoleFile);
        var specialisationStreams = Canonicalise(specialisations, specialisationFile);
        var counts = new SortedDictionary<string, long>(StringComparer.Ordinal)
        {
            ["job_role_mappings"] = jobRoleStreams.Count,
            ["job_roles"] = jobRoleStreams.Select(m => m.Key).Distinct(StringComparer.Ordinal).Count(),
            ["specialisation_mappings"] = specialisationStreams.Count,
            ["specialisations"] = specialisationStreams.Select(m => m.Key).Distinct(StringComparer.Ordinal).Count(),
            ["theatres"] = theatres.Count,
        };
        return new ReferenceTableOutcome(jobRoleStreams, specialisationStreams, theatres, counts);
    }
}
