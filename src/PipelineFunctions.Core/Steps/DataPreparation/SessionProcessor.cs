using PipelineFunctions.Core.Events;
using PipelineFunctions.Core.Inputs;

namespace PipelineFunctions.Core.Steps.DataPreparation;

/// <summary>
/// Step 1, sessions: quarantine rows without title or id, drop placeholder titles, build key_text,
/// keep the earliest of sessions with the same key_text, expand sponsor abbreviations, and build one
/// stream vocabulary (case-insensitive) with its catalogue.
/// </summary>
internal sealed class SessionProcessor(EventConfig config, PreparationWarnings warnings)
{
    private readonly HashSet<string> _titlesToRemove = new(config.Sessions.TitlesToRemove.Select(t => t.Trim()), StringComparer.OrdinalIgnoreCase);
    private readonly Dictionary<string, string> _sponsors = new(config.Sessions.SponsorAbbreviations, StringComparer.OrdinalIgnoreCase);
    // First-seen spelling of each stream, looked up case-insensitively.
    private readonly Dictionary<string, string> _canonicalStreams = new(StringComparer.OrdinalIgnoreCase);

    public SessionOutcome Process(IReadOnlyList<SessionExportRow> thisYear, IReadOnlyList<SessionExportRow> pastMain,
        IReadOnlyList<SessionExportRow> pastSecondary)
    {
        var counts = new SortedDictionary<string, long>(StringComparer.Ordinal);
        var quarantined = new List<QuarantinedSession>();
        var cleanedThisYear = Clean(thisYear, "this_year", counts, quarantined);
        var cleanedPastMain = Clean(pastMain, "past_main", counts, quarantined);
        var cleanedPastSecondary = Clean(pastSecondary, "past_secondary", counts, quarantined);

        if (cleanedThisYear.Count == 0)
            throw new PipelineInputException(config.Inputs.SessionsThisYear,
                "no usable session for this year (every row was blank, a placeholder or quarantined)");

        var descriptions = new Dictionary<string, string>(config.Streams.Descriptions, StringComparer.OrdinalIgnoreCase);
        var catalogue = _canonicalStreams.Values
            .Order(StringComparer.OrdinalIgnoreCase).ThenBy(s => s, StringComparer.Ordinal)
            .Select(s => KeyValuePair.Create(s, descriptions.GetValueOrDefault(s) ?? s))
            .ToList();
        counts["streams"] = catalogue.Count;
        counts["quarantined"] = quarantined.Count;
        return new SessionOutcome(cleanedThisYear, cleanedPastMain, cleanedPastSecondary, quarantined, catalogue, counts);
    }

    private List<PreparedSession> Clean(IReadOnlyList<SessionExportRow> rows, string group, SortedDictionary<string, long> counts,
        List<QuarantinedSession> quarantined)
    {
        void Count(string name, long by = 1) => counts[$"{name}_{group}"] = counts.GetValueOrDefault($"{name}_{group}") + by;

        var parsed = new List<(PreparedSession Session, SessionExportRow Row)>();
        foreach (var row in rows)
        {
            Count("rows_read");
            if (row.Title.Length == 0 || row.SessionId.Length == 0)
            {
                quarantined.Add(new QuarantinedSession(row.File, row.Row, row.SessionId, row.Title,
                    row.Title.Length == 0 ? "blank title" : "blank session_id"));
                continue;
            }
            if (_titlesToRemove.Contains(row.Title))
            {
                Count("removed_placeholder_titles");
                continue;
            }
            parsed.Add((Parse(row), row));
        }

        // Earliest first, so the de-duplication below keeps the first occurrence in time.
        parsed.Sort((a, b) =>
        {
            var byDate = a.Session.Date.CompareTo(b.Session.Date);
            if (byDate != 0) return byDate;
            var byTime = a.Session.StartTime.CompareTo(b.Session.StartTime);
            return byTime != 0 ? byTime : string.CompareOrdinal(a.Session.SessionId, b.Session.SessionId);
        });

        var keyTexts = new HashSet<string>(StringComparer.Ordinal);
        var sessionIds = new HashSet<string>(StringComparer.Ordinal);
        var kept = new List<PreparedSession>();
        foreach (var (session, row) in parsed)
        {
            if (session.KeyText.Length == 0)
            {
                quarantined.Add(new QuarantinedSession(row.File, row.Row, row.SessionId, row.Title, "title has no letters or digits"));
                continue;
            }
            if (!keyTexts.Add(session.KeyText))
            {
                Count("duplicate_titles_removed");
                continue;
            }
            if (!sessionIds.Add(session.SessionId))
            {
                warnings.Add(WarningCodes.DuplicateSessionId, row.File, "session_id used by an earlier, different session; this row is dropped",
                    row.Row, "session_id", row.SessionId);
                Count("duplicate_session_ids");
                continue;
            }
            kept.Add(session with { Streams = session.Streams.Select(Canonical).Distinct(StringComparer.Ordinal).ToList() });
        }
        Count("sessions", kept.Count);
        return kept;
    }

    private PreparedSession Parse(SessionExportRow row)
    {
        if (!InputDates.TryParseDate(row.Date, out var date))
            throw new PipelineInputException(row.File, $"'{row.Date}' is not a date (expected {InputDates.AcceptedDates})", row.Row, "date");
        if (!InputDates.TryParseTime(row.StartTime, out var start))
            throw new PipelineInputException(row.File, $"'{row.StartTime}' is not a time (expected {InputDates.AcceptedTimes})", row.Row,
                "start_time");
        if (!InputDates.TryParseTime(row.EndTime, out var end))
            throw new PipelineInputException(row.File, $"'{row.EndTime}' is not a time (expected {InputDates.AcceptedTimes})", row.Row, "end_time");
        if (end < start)
            throw new PipelineInputException(row.File, $"end_time {row.EndTime} is before start_time {row.StartTime}", row.Row, "end_time");

        var sponsor = row.SponsoredBy.Length > 0 && _sponsors.TryGetValue(row.SponsoredBy, out var expanded) ? expanded : row.SponsoredBy;
        return new PreparedSession(row.SessionId, date, start, end, row.Theatre, row.Title,
            TextKeys.SplitList(row.Stream).ToList(), row.Synopsis, row.SponsoredSession, sponsor, TextKeys.KeyText(row.Title));
    }

    private string Canonical(string stream)
    {
        if (!_canonicalStreams.TryGetValue(stream, out var canonical))
            _canonicalStreams[stream] = canonical = stream;
        return canonical;
    }
}
