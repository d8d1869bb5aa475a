using System.Collections.Concurrent;
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

    // What each rule says of a session depends on the session alone: worked out once per session, not once per visitor
    // and candidate (a large show checks hundreds of millions of candidates). Keyed by reference: sessions are not copied.
    private readonly ConcurrentDictionary<RecommendableSession, SessionTraits> _traits = new(ReferenceEqualityComparer.Instance);

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
        var hasEquineKeyword = _rules.EquineStreamKeywords.Any(k => k.Trim().Length > 0 && Contains(companyAndTitle, k.Trim()));
        var isEquineVisitor = _rules.EquineVisitorKeywords.Any(k => k.Trim().Length > 0 && Contains(companyAndTitle, k.Trim()));

        // The rules that apply to this visitor, in order: each keeps the sessions without its "drop" trait (or with its
        // "keep" trait), unless that would leave nothing.
        var rules = new List<(string Name, SessionTraits Trait, bool Keep)>(4);
        if (isEquineOrMixed) rules.Add(("equine/mixed practice exclusions", SessionTraits.EquineMixedExcluded, false));
        else if (isSmallAnimal) rules.Add(("small animal practice exclusions", SessionTraits.SmallAnimalExcluded, false));
        if (_vetRoles.Contains(jobRole)) rules.Add(("vet role exclusions", SessionTraits.VetExcluded, false));
        else if (_nurseRoles.Contains(jobRole)) rules.Add(("nurse role streams", SessionTraits.NurseStream, true));
        if (!hasEquineKeyword) rules.Add(("equine streams need an equine company or job title", SessionTraits.EquineStream, false));
        if (isEquineVisitor && _blockedTitle is not null) rules.Add(("equine visitors get no cat/dog titles", SessionTraits.BlockedTitle, false));
        if (rules.Count == 0) return current;

        var traits = new SessionTraits[current.Count];
        for (var i = 0; i < traits.Length; i++) traits[i] = Traits(TimeClashes.Lookup(sessions, current[i].SessionId));
        var kept = Enumerable.Range(0, current.Count).ToList();
        foreach (var (name, trait, keep) in rules)
        {
            var passing = kept.Where(i => ((traits[i] & trait) != 0) == keep).ToList();
            if (passing.Count > 0) kept = passing;
            else notes.Add($"business rule '{name}' would remove all {kept.Count} candidate sessions; kept them unfiltered");
        }
        if (kept.Count == current.Count) return current;
        var result = new List<ScoredSession>(kept.Count);
        foreach (var i in kept) result.Add(current[i]);
        return result;
    }

    private SessionTraits Traits(RecommendableSession session) => _traits.GetOrAdd(session, s =>
    {
        var traits = SessionTraits.None;
        if (HasStreamIn(s, _equineMixed)) traits |= SessionTraits.EquineMixedExcluded;
        if (HasStreamIn(s, _smallAnimal)) traits |= SessionTraits.SmallAnimalExcluded;
        if (HasStreamIn(s, _vetExclusions)) traits |= SessionTraits.VetExcluded;
        if (HasStreamIn(s, _nurseStreams)) traits |= SessionTraits.NurseStream;
        if (s.Streams.Any(stream => Contains(stream, "equine"))) traits |= SessionTraits.EquineStream;
        if (_blockedTitle is { } blockedTitle && blockedTitle.IsMatch(s.Title)) traits |= SessionTraits.BlockedTitle;
        return traits;
    });

    [Flags]
    private enum SessionTraits : byte
    {
        None = 0,
        EquineMixedExcluded = 1,
        SmallAnimalExcluded = 2,
        VetExcluded = 4,
        NurseStream = 8,
        EquineStream = 16,
        BlockedTitle = 32,
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
