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

        var combinations = new byte[current.Count];
        Span<int> counts = stackalloc int[Combinations];
        for (var i = 0; i < combinations.Length; i++) counts[combinations[i] = CombinationOf(TimeClashes.Lookup(sessions, current[i].SessionId))]++;
        var passing = PassingCombinations(visitor.Properties, counts, notes);
        if (passing == AllCombinations) return current;
        var result = new List<ScoredSession>(current.Count);
        for (var i = 0; i < combinations.Length; i++)
            if (Passes(passing, combinations[i])) result.Add(current[i]);
        return result.Count == current.Count ? current : result;
    }

    /// <summary>How many distinct trait combinations a session can have (<see cref="CombinationOf"/>).</summary>
    public const int Combinations = 64;

    /// <summary>Every combination passes: what <see cref="PassingCombinations"/> gives when no rule applies.</summary>
    public const ulong AllCombinations = ulong.MaxValue;

    /// <summary>What the rules see of a session, as one of <see cref="Combinations"/> values: the same for every visitor.</summary>
    public byte CombinationOf(RecommendableSession session) => (byte)Traits(session);

    /// <summary>True when a session of <paramref name="combination"/> passes a visitor's <paramref name="passing"/> mask.</summary>
    public static bool Passes(ulong passing, byte combination) => ((passing >> combination) & 1) != 0;

    /// <summary>
    /// The rules of <see cref="Apply"/> for one visitor, worked out on how many of their candidates have each trait
    /// combination (whether a rule would leave nothing depends on the candidates only through those counts): the mask of
    /// combinations that pass (bit c for combination c), and the notes of rules that were skipped. A candidate passes
    /// when its combination does, so a caller can count the whole list and keep only its first passing candidates.
    /// </summary>
    public ulong PassingCombinations(IReadOnlyDictionary<string, string> properties, ReadOnlySpan<int> candidatesPerCombination, List<string> notes)
    {
        ArgumentNullException.ThrowIfNull(properties);
        ArgumentNullException.ThrowIfNull(notes);
        if (candidatesPerCombination.Length != Combinations)
            throw new ArgumentException($"needs one count per combination ({Combinations})", nameof(candidatesPerCombination));
        if (!_rules.Enabled) return AllCombinations;
        var practiceTypes = (_practiceTypeField is null ? "" : Get(properties, _practiceTypeField))
            .Split(';', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        var isEquineOrMixed = practiceTypes.Any(p => Contains(p, "equine") || Contains(p, "mixed"));
        var isSmallAnimal = !isEquineOrMixed && practiceTypes.Any(p => Contains(p, "small animal"));
        var jobRole = Get(properties, _jobRoleField).Trim();
        var companyAndTitle = Get(properties, CompanyField) + " " + Get(properties, JobTitleField);
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

        var kept = AllCombinations;
        var keptCount = Count(kept, candidatesPerCombination);
        if (keptCount == 0) return AllCombinations;
        foreach (var (name, trait, keep) in rules)
        {
            var rulePasses = 0UL;
            for (var c = 0; c < Combinations; c++)
                if ((((SessionTraits)c & trait) != 0) == keep) rulePasses |= 1UL << c;
            var passing = kept & rulePasses;
            var passingCount = Count(passing, candidatesPerCombination);
            if (passingCount > 0) (kept, keptCount) = (passing, passingCount);
            else notes.Add($"business rule '{name}' would remove all {keptCount} candidate sessions; kept them unfiltered");
        }
        return kept;
    }

    private static int Count(ulong combinations, ReadOnlySpan<int> candidatesPerCombination)
    {
        var count = 0;
        for (var c = 0; c < Combinations; c++)
            if (Passes(combinations, (byte)c)) count += candidatesPerCombination[c];
        return count;
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
