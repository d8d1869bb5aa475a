using System.Text.RegularExpressions;
using PipelineFunctions.Core.Events;

namespace PipelineFunctions.Core.Steps.Recommendations;

/// <summary>
/// The vet business rules of step 4, applied one after the other to a visitor's ranked candidates. Stream names and
/// roles match case-insensitively (exact, trimmed); the practice type may hold several values joined by ';'. When a
/// rule would leave nothing, the list from before that rule is kept and a note says so. Disabled rules pass through.
/// </summary>
internal sealed class BusinessRuleFilter
{
    private const string CompanyField = "Company";
    private const string JobTitleField = "JobTitle";
    private static readonly StringComparer Ci = StringComparer.OrdinalIgnoreCase;

    private readonly BusinessRules _rules;
    private readonly string _jobRoleField;
    private readonly string? _practiceTypeField;
    private readonly HashSet<string> _vetRoles, _nurseRoles, _equineMixed, _smallAnimal, _vetExclusions, _nurseStreams;
    private readonly Regex? _blockedTitle;

    public BusinessRuleFilter(BusinessRules rules, string jobRoleField, string? practiceTypeField)
    {
        _rules = rules ?? throw new ArgumentNullException(nameof(rules));
        _jobRoleField = jobRoleField ?? throw new ArgumentNullException(nameof(jobRoleField));
        _practiceTypeField = practiceTypeField;
        _vetRoles = Set(rules.VetRoles);
        _nurseRoles = Set(rules.NurseRoles);
        _equineMixed = Set(rules.EquineMixedExclusions);
        _smallAnimal = Set(rules.SmallAnimalExclusions);
        _vetExclusions = Set(rules.VetExclusions);
        _nurseStreams = Set(rules.NurseStreams);
        var blocked = rules.EquineBlockedTitleKeywords.Select(k => k.Trim()).Where(k => k.Length > 0).ToList();
        // Whole words (a plural 's' allowed): "cat" hits "Cats and kittens" but not "education".
        _blockedTitle = blocked.Count == 0
            ? null
            : new Regex(@"\b(?:" + string.Join("|", blocked.Select(Regex.Escape)) + @")s?\b",
                RegexOptions.IgnoreCase | RegexOptions.CultureInvariant | RegexOptions.Compiled);
    }

    /// <summary>Every visitor column <see cref="Apply"/> reads.</summary>
    public static IEnumerable<string> ColumnsRead(string jobRoleField, string? practiceTypeField) =>
        practiceTypeField is null ? [jobRoleField, CompanyField, JobTitleField] : [jobRoleField, practiceTypeField, CompanyField, JobTitleField];

    public IReadOnlyList<ScoredSession> Apply(
        VisitorCandidates visitor, IReadOnlyDictionary<string, RecommendableSession> sessions, List<string> notes)
    {
        ArgumentNullException.ThrowIfNull(visitor);
        ArgumentNullException.ThrowIfNull(sessions);
        ArgumentNullException.ThrowIfNull(notes);
        var current = visitor.Ranked;
        if (!_rules.Enabled || current.Count == 0) return current;

        var practiceTypes = (_practiceTypeField is null ? "" : Get(visitor.Properties, _practiceTypeField))
            .Split(';', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        var isEquineOrMixed = practiceTypes.Any(p => Contains(p, "equine") || Contains(p, "mixed"));
        var isSmallAnimal = !isEquineOrMixed && practiceTypes.Any(p => Contains(p, "small animal"));
        var jobRole = Get(visitor.Properties, _jobRoleField).Trim();
        var companyAndTitle = Get(visitor.Properties, CompanyField) + " " + Get(visitor.Properties, JobTitleField);

        if (isEquineOrMixed)
            current = Rule(current, sessions, notes, "equine/mixed practice exclusions", s => !HasStreamIn(s, _equineMixed));
        else if (isSmallAnimal)
            current = Rule(current, sessions, notes, "small animal practice exclusions", s => !HasStreamIn(s, _smallAnimal));

        if (_vetRoles.Contains(jobRole))
            current = Rule(current, sessions, notes, "vet role exclusions", s => !HasStreamIn(s, _vetExclusions));
        else if (_nurseRoles.Contains(jobRole))
            current = Rule(current, sessions, notes, "nurse role streams", s => HasStreamIn(s, _nurseStreams));

        var hasEquineKeyword = _rules.EquineStreamKeywords.Any(k => k.Trim().Length > 0 && Contains(companyAndTitle, k.Trim()));
        if (!hasEquineKeyword)
            current = Rule(current, sessions, notes, "equine streams need an equine company or job title",
                s => !s.Streams.Any(stream => Contains(stream, "equine")));

        var isEquineVisitor = _rules.EquineVisitorKeywords.Any(k => k.Trim().Length > 0 && Contains(companyAndTitle, k.Trim()));
        if (isEquineVisitor && _blockedTitle is { } blockedTitle)
            current = Rule(current, sessions, notes, "equine visitors get no cat/dog titles",
                s => !blockedTitle.IsMatch(s.Title));

        return current;
    }

    private static IReadOnlyList<ScoredSession> Rule(
        IReadOnlyList<ScoredSession> current, IReadOnlyDictionary<string, RecommendableSession> sessions,
        List<string> notes, string name, Func<RecommendableSession, bool> keep)
    {
        if (current.Count == 0) return current;
        var kept = new List<ScoredSession>(current.Count);
        foreach (var candidate in current)
            if (keep(TimeClashes.Lookup(sessions, candidate.SessionId))) kept.Add(candidate);
        if (kept.Count > 0) return kept;
        notes.Add($"business rule '{name}' would remove all {current.Count} candidate sessions; kept them unfiltered");
        return current;
    }

    private static bool HasStreamIn(RecommendableSession session, HashSet<string> streams)
    {
        foreach (var stream in session.Streams)
            if (streams.Contains(stream.Trim())) return true;
        return false;
    }

    private static bool Contains(string text, string value) => text.Contains(value, StringComparison.OrdinalIgnoreCase);

    private static HashSet<string> Set(IEnumerable<string> values) =>
        new(values.Select(v => v.Trim()).Where(v => v.Length > 0), Ci);

    private static string Get(IReadOnlyDictionary<string, string> properties, string key)
    {
        if (properties.TryGetValue(key, out var value)) return value ?? "";
        foreach (var (k, v) in properties)
            if (Ci.Equals(k, key)) return v ?? "";
        return "";
    }
}
