using System.Text.RegularExpressions;
using PipelineFunctions.Core.Events;
using PipelineFunctions.Core.Inputs;

namespace PipelineFunctions.Core.Steps.DataPreparation;

/// <summary>
/// Step 1, registrations: drop rows without email or name, split by show, keep valid badge types,
/// de-duplicate badge ids, pivot demographics, infer vet job roles and practice types, find returning
/// visitors by name and email, count days since registration.
/// </summary>
internal sealed partial class RegistrationProcessor(EventConfig config, PreparationWarnings warnings)
{
    public const string UnknownShowRef = "UNKNOWN";

    private static readonly int GroupCount = Enum.GetValues<ShowGroup>().Length;

    [GeneratedRegex("[A-Za-z]{2,}[0-9]{2,}")]
    private static partial Regex ShowTokenPattern();

    public IReadOnlyList<string> QuestionColumns { get; } =
        config.Registration.QuestionsToKeep.Select(TextKeys.QuestionColumn).Distinct(StringComparer.Ordinal).ToList();

    public RegistrationOutcome Process(
        IEnumerable<RegistrationRow> registrations,
        IReadOnlyDictionary<string, string?[]> answersByBadgeId,
        IReadOnlyDictionary<string, string>? practicesByCompany)
    {
        CheckFieldsAreKept();
        var counts = new SortedDictionary<string, long>(StringComparer.Ordinal);
        void Count(string name, long by = 1) => counts[name] = counts.GetValueOrDefault(name) + by;

        var groups = new Dictionary<ShowGroup, List<PreparedVisitor>>
        {
            [ShowGroup.ThisYear] = [], [ShowGroup.PastMain] = [], [ShowGroup.PastSecondary] = []
        };
        var seenBadges = new Dictionary<ShowGroup, HashSet<string>>
        {
            [ShowGroup.ThisYear] = [], [ShowGroup.PastMain] = [], [ShowGroup.PastSecondary] = []
        };
        var validBadgeTypes = new HashSet<string>(config.Registration.ValidBadgeTypes, StringComparer.OrdinalIgnoreCase);
        // The per-row counts are tallied in locals and added once: each Count looks the name up in the sorted map, and a per-group
        // name was formatted per row.
        long rowsRead = 0;
        var filteredBadgeType = new long[GroupCount];
        var withoutDemographics = new long[GroupCount];

        foreach (var row in registrations)
        {
            rowsRead++;
            if (row.Email.Length == 0 || row.Forename.Length == 0 || row.Surname.Length == 0)
            {
                var field = row.Email.Length == 0 ? "Email" : row.Forename.Length == 0 ? "Forename" : "Surname";
                warnings.Add(WarningCodes.MissingIdentity, row.File, "rows without Email, Forename or Surname are dropped", row.Row, field);
                Count("dropped_missing_email_or_name");
                continue;
            }

            var showRef = row.ShowRef;
            if (showRef.Length == 0)
            {
                var token = ShowTokenPattern().Match(row.Source);
                showRef = token.Success ? token.Value.ToUpperInvariant() : UnknownShowRef;
                warnings.Add(WarningCodes.ShowRefFromSource, row.File, $"blank ShowRef taken from Source (else {UnknownShowRef})", row.Row, "ShowRef",
                    showRef);
            }
            var group = Classify(showRef);
            if (group is null)
            {
                warnings.Add(WarningCodes.UnknownShowRef, row.File, "ShowRef is not among the configured shows; row skipped", row.Row, "ShowRef",
                    showRef);
                Count("skipped_unknown_show_ref");
                continue;
            }
            if (!validBadgeTypes.Contains(row.BadgeType))
            {
                filteredBadgeType[(int)group.Value]++;
                continue;
            }
            if (!seenBadges[group.Value].Add(row.BadgeId))
            {
                warnings.Add(WarningCodes.DuplicateBadgeId, row.File, "badge id seen before in the same show; the first row wins", row.Row, "BadgeId",
                    row.BadgeId);
                Count("duplicate_badge_ids");
                continue;
            }
            var visitor = new PreparedVisitor(row, group.Value) { ShowRef = showRef };
            visitor.Answers = answersByBadgeId.TryGetValue(row.BadgeId, out var answers) ? (string?[])answers.Clone()
                : new string?[QuestionColumns.Count];
            if (answers is null) withoutDemographics[(int)group.Value]++;
            ParseRegistrationDate(visitor);
            groups[group.Value].Add(visitor);
        }
        if (rowsRead > 0) Count("rows_read", rowsRead);
        foreach (var group in groups.Keys)
        {
            // Listed only when it happened, as the per-row counts were.
            if (filteredBadgeType[(int)group] > 0) Count($"filtered_badge_type_{GroupName(group)}", filteredBadgeType[(int)group]);
            if (withoutDemographics[(int)group] > 0) Count($"without_demographics_{GroupName(group)}", withoutDemographics[(int)group]);
        }

        foreach (var (group, visitors) in groups)
        {
            Count($"job_roles_inferred_{GroupName(group)}", InferJobRoles(visitors));
            Count($"practice_types_inferred_{GroupName(group)}", InferPracticeTypes(visitors, PracticeField(group), practicesByCompany));
        }

        // Returning visitors: the same person (name + email) registered this year and at a past show.
        var pastMainByIdentity = FirstByIdentity(groups[ShowGroup.PastMain]);
        var pastSecondaryByIdentity = FirstByIdentity(groups[ShowGroup.PastSecondary]);
        var returningIdentities = new HashSet<string>(StringComparer.Ordinal);
        foreach (var visitor in groups[ShowGroup.ThisYear])
        {
            visitor.PastMainBadgeId = pastMainByIdentity.GetValueOrDefault(visitor.Identity)?.Registration.BadgeId;
            visitor.PastSecondaryBadgeId = pastSecondaryByIdentity.GetValueOrDefault(visitor.Identity)?.Registration.BadgeId;
            if (visitor.PastMainBadgeId is not null || visitor.PastSecondaryBadgeId is not null) returningIdentities.Add(visitor.Identity);
            if (visitor.PastMainBadgeId is not null) Count("returning_from_main");
            if (visitor.PastSecondaryBadgeId is not null) Count("returning_from_secondary");
        }
        var keepAll = config.Registration.KeepAllPastVisitors;
        var pastMain = groups[ShowGroup.PastMain].Where(v => keepAll || (returningIdentities.Contains(v.Identity)
            && pastMainByIdentity[v.Identity] == v)).ToList();
        var pastSecondary = groups[ShowGroup.PastSecondary].Where(v => keepAll || (returningIdentities.Contains(v.Identity)
            && pastSecondaryByIdentity[v.Identity] == v)).ToList();

        Count("visitors_this_year", groups[ShowGroup.ThisYear].Count);
        Count("visitors_returning", returningIdentities.Count);
        Count("registered_past_main", groups[ShowGroup.PastMain].Count);
        Count("registered_past_secondary", groups[ShowGroup.PastSecondary].Count);
        Count("visitors_past_main", pastMain.Count);
        Count("visitors_past_secondary", pastSecondary.Count);

        if (groups[ShowGroup.ThisYear].Count == 0)
            throw new PipelineInputException(config.Inputs.MainRegistration,
                $"no valid registration for this year's shows ({string.Join(", ", config.Event.ShowsThisYear)}) " +
                "with a badge type in registration.valid_badge_types");

        return new RegistrationOutcome(QuestionColumns, groups[ShowGroup.ThisYear], pastMain, pastSecondary, counts)
        {
            RegisteredPast = [.. groups[ShowGroup.PastMain], .. groups[ShowGroup.PastSecondary]],
        };
    }

    private ShowGroup? Classify(string showRef)
    {
        bool In(List<string> shows) => shows.Contains(showRef, StringComparer.OrdinalIgnoreCase);
        if (In(config.Event.ShowsThisYear)) return ShowGroup.ThisYear;
        if (In(config.Event.ShowsLastYearMain)) return ShowGroup.PastMain;
        if (In(config.Event.ShowsLastYearSecondary)) return ShowGroup.PastSecondary;
        return null;
    }

    private void ParseRegistrationDate(PreparedVisitor visitor)
    {
        var text = visitor.Registration.RegistrationDate;
        if (text.Length == 0)
        {
            warnings.Add(WarningCodes.MissingRegistrationDate, visitor.Registration.File,
                "RegistrationDate is blank; Days_since_registration is left empty", visitor.Registration.Row, "RegistrationDate");
            return;
        }
        if (!InputDates.TryParseDateTime(text, out var registered))
            throw new PipelineInputException(visitor.Registration.File, $"'{text}' is not a date (expected {InputDates.AcceptedDateTimes})",
                row: visitor.Registration.Row, field: config.Registration.OldFormat ? "RegistrationDate" : "registration_date");
        visitor.Registered = registered;
        if (visitor.Group == ShowGroup.ThisYear)
            visitor.DaysSinceRegistration = config.Event.Date.DayNumber - DateOnly.FromDateTime(registered).DayNumber;
    }

    private long InferJobRoles(List<PreparedVisitor> visitors)
    {
        var rules = config.Registration.JobRoleInference;
        var slot = SlotOf(config.Registration.JobRoleField);
        if (rules.Count == 0 || slot < 0) return 0;
        long inferred = 0;
        foreach (var visitor in visitors)
        {
            if (!string.IsNullOrEmpty(visitor.Answers[slot])) continue;
            var title = visitor.Registration.JobTitle.ToLowerInvariant();
            var rule = rules.FirstOrDefault(r => r.Keywords.Any(k => title.Contains(k.ToLowerInvariant(), StringComparison.Ordinal)));
            if (rule is null) continue;
            visitor.Answers[slot] = rule.Role;
            inferred++;
        }
        return inferred;
    }

    private long InferPracticeTypes(List<PreparedVisitor> visitors, string? field, IReadOnlyDictionary<string, string>? practices)
    {
        var slot = field is null ? -1 : SlotOf(field);
        if (practices is null || slot < 0) return 0;
        long inferred = 0;
        foreach (var visitor in visitors)
        {
            if (!string.IsNullOrEmpty(visitor.Answers[slot])) continue;
            if (!practices.TryGetValue(TextKeys.CompanyKey(visitor.Registration.Company), out var type)) continue;
            visitor.Answers[slot] = type;
            inferred++;
        }
        return inferred;
    }

    private string? PracticeField(ShowGroup group) => group switch
    {
        ShowGroup.ThisYear => config.Registration.PracticeTypeFields.ThisYear,
        ShowGroup.PastMain => config.Registration.PracticeTypeFields.PastMain,
        _ => config.Registration.PracticeTypeFields.PastSecondary,
    };

    private int SlotOf(string column)
    {
        for (var i = 0; i < QuestionColumns.Count; i++)
            if (QuestionColumns[i] == column) return i;
        return -1;
    }

    /// <summary>Inference writes into question columns, so those columns must be kept questions.</summary>
    private void CheckFieldsAreKept()
    {
        void Require(string? column, string keyPath)
        {
            if (column is not null && SlotOf(column) < 0)
                throw new PipelineInputException(config.SourcePath,
                    $"'{column}' is not one of the kept questions' columns ({string.Join(", ", QuestionColumns)})", field: keyPath);
        }
        if (config.Registration.JobRoleInference.Count > 0) Require(config.Registration.JobRoleField, "registration.job_role_field");
        Require(config.Registration.PracticeTypeFields.ThisYear, "registration.practice_type_fields.this_year");
        Require(config.Registration.PracticeTypeFields.PastMain, "registration.practice_type_fields.past_main");
        Require(config.Registration.PracticeTypeFields.PastSecondary, "registration.practice_type_fields.past_secondary");
    }

    private static Dictionary<string, PreparedVisitor> FirstByIdentity(List<PreparedVisitor> visitors)
    {
        var byIdentity = new Dictionary<string, PreparedVisitor>(StringComparer.Ordinal);
        foreach (var visitor in visitors) byIdentity.TryAdd(visitor.Identity, visitor);
        return byIdentity;
    }

    public static string GroupName(ShowGroup group) => group switch
    {
        ShowGroup.ThisYear => "this_year",
        ShowGroup.PastMain => "past_main",
        _ => "past_secondary",
    };
}
