using PipelineFunctions.Core.Inputs;

namespace PipelineFunctions.Core.Steps.DataPreparation;

/// <summary>
/// Step 1, scans of one past show: short name -> seminar name (reference), seminar -> past session by key_text,
/// badge -> kept past visitor. A visitor scanned into the same session twice counts once.
/// </summary>
internal sealed class ScanProcessor(PreparationWarnings warnings)
{
    private const int ScansRead = 0, SkippedUnknownShortName = 1, SkippedUnmatchedSeminar = 2, SkippedUnknownBadge = 3, SkippedVisitorNotKept = 4,
        RepeatedScans = 5;

    private static readonly string[] CountNames =
    [
        "scans_read", "skipped_unknown_short_name", "skipped_unmatched_seminar", "skipped_unknown_badge", "skipped_visitor_not_kept",
        "repeated_scans",
    ];

    public ScanOutcome Process(
        IEnumerable<SeminarScanRow> scans,
        IReadOnlyDictionary<string, string> reference,
        IReadOnlyList<PreparedSession> pastSessions,
        IReadOnlyList<PreparedVisitor> pastVisitors) =>
        Process(scans, reference, pastSessions, new HashSet<string>(pastVisitors.Select(v => v.Registration.BadgeId), StringComparer.Ordinal),
            warnUnknownBadges: false);

    /// <summary>The same matching against any sessions and badges (the post-show analysis: this year's sessions and analysed visitors).</summary>
    /// <param name="warnUnknownBadges">True after the show, when every scanned badge should be an analysed visitor; step 1 expects scans
    /// of visitors it did not keep.</param>
    public ScanOutcome Process(
        IEnumerable<SeminarScanRow> scans,
        IReadOnlyDictionary<string, string> reference,
        IReadOnlyList<PreparedSession> sessions,
        HashSet<string> visitorBadges,
        bool warnUnknownBadges)
    {
        var sessionsByKey = sessions.ToDictionary(s => s.KeyText, StringComparer.Ordinal);
        var seen = new HashSet<(string, string)>();
        var attended = new List<AttendedSession>();
        // Counted in a small array rather than the sorted map, which millions of scans would each look up.
        var tally = new long[CountNames.Length];
        var keyTextCache = new Dictionary<string, string>(StringComparer.Ordinal);

        foreach (var scan in scans)
        {
            tally[ScansRead]++;
            if (!reference.TryGetValue(scan.ShortName, out var seminar))
            {
                warnings.Add(WarningCodes.UnknownScanShortName, scan.File, "Short Name not in the scan reference; scan skipped", scan.Row,
                    "Short Name", scan.ShortName);
                tally[SkippedUnknownShortName]++;
                continue;
            }
            if (!keyTextCache.TryGetValue(seminar, out var keyText)) keyTextCache[seminar] = keyText = TextKeys.KeyText(seminar);
            if (!sessionsByKey.TryGetValue(keyText, out var session))
            {
                warnings.Add(WarningCodes.UnmatchedSeminar, scan.File, "seminar matches no session of the show's session export; scan skipped",
                    scan.Row, "Short Name", seminar);
                tally[SkippedUnmatchedSeminar]++;
                continue;
            }
            // Scans of visitors who are not kept (not returning this year, or unregistered) are expected: not a warning.
            // The visitor's own badge string is kept, not the scan's copy: the scans are read and dropped one by one.
            if (!visitorBadges.TryGetValue(scan.BadgeId, out var badgeId))
            {
                if (warnUnknownBadges)
                    warnings.Add(WarningCodes.UnknownScanBadge, scan.File, "badge is in neither the treatment nor the control group; scan skipped",
                        scan.Row, "Badge Id", scan.BadgeId);
                tally[warnUnknownBadges ? SkippedUnknownBadge : SkippedVisitorNotKept]++;
                continue;
            }
            if (!seen.Add((badgeId, session.SessionId)))
            {
                tally[RepeatedScans]++;
                continue;
            }
            attended.Add(new AttendedSession(badgeId, session.SessionId, session.KeyText, seminar, scan.ScanDate, scan.SourceFile));
        }
        var counts = new SortedDictionary<string, long>(StringComparer.Ordinal);
        for (var i = 0; i < CountNames.Length; i++)
            if (tally[i] > 0) counts[CountNames[i]] = tally[i]; // a count that never happened is not listed, as before
        counts["attended_sessions"] = attended.Count;
        counts["visitors_with_scans"] = attended.Select(a => a.BadgeId).Distinct(StringComparer.Ordinal).Count();
        return new ScanOutcome(attended, counts);
    }
}
