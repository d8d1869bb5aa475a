using PipelineFunctions.Core.Events;
using PipelineFunctions.Core.Inputs;

namespace PipelineFunctions.Core.Steps.DataPreparation;

/// <summary>
/// Step 1's drift check: the distribution of each similarity attribute (step 4's, read as step 4 reads it: the practice type
/// from each group's own column, in this year's words) and of the stream mix, this year's visitors against every valid
/// registration of last year's two shows. A visitor weighs 1, split evenly over the values of a multi-answer field or over
/// their streams; a blank answer is its own category.
/// </summary>
internal sealed class VisitorDrift(EventConfig config, IReadOnlyList<string> questionColumns)
{
    public const string Blank = "(blank)", NoStream = "(no stream)";

    private readonly Dictionary<ShowGroup, Dictionary<string, string>> _specialisationMaps = new()
    {
        [ShowGroup.ThisYear] = new(config.Streams.SpecialisationMaps.ThisYear, StringComparer.OrdinalIgnoreCase),
        [ShowGroup.PastMain] = new(config.Streams.SpecialisationMaps.PastMain, StringComparer.OrdinalIgnoreCase),
        [ShowGroup.PastSecondary] = new(config.Streams.SpecialisationMaps.PastSecondary, StringComparer.OrdinalIgnoreCase),
    };

    private readonly Dictionary<(string Attribute, ShowGroup Group, string? Text), IReadOnlyList<string>> _values = [];

    public DataDrift Measure(IReadOnlyList<PreparedVisitor> thisYear, IReadOnlyList<PreparedVisitor> past,
        IReadOnlyList<StreamMapping> jobRoleStreams, IReadOnlyList<StreamMapping> specialisationStreams)
    {
        var threshold = config.Registration.DriftThreshold;
        if (past.Count == 0)
            return new DataDrift(threshold, thisYear.Count, 0, [], "no valid registration of last year's shows to compare with");
        var indicators = new List<DriftIndicator>();
        foreach (var attribute in config.Recommendation.SimilarityAttributes.Keys)
            indicators.Add(Indicator(attribute, Distribution(past, v => Values(v, attribute)), Distribution(thisYear, v => Values(v, attribute)),
                threshold));
        var byJobRole = jobRoleStreams.ToLookup(m => m.Key.Trim(), m => m.Stream, StringComparer.OrdinalIgnoreCase);
        var bySpecialisation = specialisationStreams.ToLookup(m => m.Key.Trim(), m => m.Stream, StringComparer.OrdinalIgnoreCase);
        // A visitor's streams: those of their job role and of their practice types, by step 1's reference tables. Answers come from
        // short lists, so the streams are worked out once per distinct job role, group and practice answer and shared.
        var streamsOf = new Dictionary<(string?, ShowGroup, string?), IReadOnlyList<string>>();
        IReadOnlyList<string> Streams(PreparedVisitor visitor)
        {
            var jobRole = Raw(visitor, config.Registration.JobRoleField);
            var practice = PracticeTypeText(visitor);
            var key = (jobRole, visitor.Group, practice);
            if (streamsOf.TryGetValue(key, out var known)) return known;
            var streams = (jobRole is null ? [] : TextKeys.SplitList(jobRole).SelectMany(role => byJobRole[role]))
                .Concat(PracticeTypes(visitor.Group, practice).SelectMany(type => bySpecialisation[type.Trim()]))
                .Select(s => s.Trim().ToLowerInvariant()).Distinct(StringComparer.Ordinal).ToList();
            return streamsOf[key] = streams.Count > 0 ? streams : [NoStream];
        }
        indicators.Add(Indicator(DataDrift.StreamMix, Distribution(past, Streams), Distribution(thisYear, Streams), threshold));
        return new DataDrift(threshold, thisYear.Count, past.Count, indicators);
    }

    /// <summary>Above the threshold and beyond sampling noise: a small show's PSI runs high by chance alone (see
    /// <see cref="PopulationStability.SamplingPValue"/>), and that is no change in the audience.</summary>
    private static DriftIndicator Indicator(string name, Dictionary<string, double> past, Dictionary<string, double> thisYear, double threshold)
    {
        var bins = PopulationStability.Bins(past, thisYear);
        var psi = bins.Sum(b => b.Contribution);
        var pValue = PopulationStability.SamplingPValue(psi, bins.Count, past.Values.Sum(), thisYear.Values.Sum());
        return new DriftIndicator(name, psi, psi > threshold && pValue < DriftIndicator.NoiseLevel, bins.Count,
            bins.Take(DriftIndicator.BinsKept).ToList())
        { SamplingPValue = Math.Round(pValue, 6) };
    }

    private static Dictionary<string, double> Distribution(IReadOnlyList<PreparedVisitor> visitors,
        Func<PreparedVisitor, IReadOnlyList<string>> values)
    {
        var weights = new Dictionary<string, double>(StringComparer.Ordinal);
        foreach (var visitor in visitors)
        {
            var categories = values(visitor);
            foreach (var category in categories) weights[category] = weights.GetValueOrDefault(category) + 1.0 / categories.Count;
        }
        return weights;
    }

    /// <summary>The visitor's categories of an attribute, normalised as step 4 compares them (trimmed, lower case); never empty.</summary>
    /// <remarks>Worked out once per attribute, group and answer, and shared: the answers come from short lists.</remarks>
    private IReadOnlyList<string> Values(PreparedVisitor visitor, string attribute)
    {
        var isPracticeType = attribute == config.Registration.PracticeTypeFields.ThisYear;
        var text = isPracticeType ? PracticeTypeText(visitor) : Raw(visitor, attribute);
        // Only the practice types read through the group (its own column and words); other attributes are the same in every group.
        var key = (attribute, isPracticeType ? visitor.Group : ShowGroup.ThisYear, text);
        if (_values.TryGetValue(key, out var known)) return known;
        var raw = isPracticeType ? PracticeTypes(visitor.Group, text) : text is not null ? TextKeys.SplitList(text) : [];
        var categories = raw.Select(v => v.Trim().ToLowerInvariant()).Where(v => v.Length > 0).Distinct(StringComparer.Ordinal).ToList();
        return _values[key] = categories.Count > 0 ? categories : [Blank];
    }

    /// <summary>The practice-type answer in the visitor's group's own column.</summary>
    private string? PracticeTypeText(PreparedVisitor visitor)
    {
        var fields = config.Registration.PracticeTypeFields;
        var column = visitor.Group switch
        {
            ShowGroup.ThisYear => fields.ThisYear,
            ShowGroup.PastMain => fields.PastMain ?? fields.ThisYear,
            _ => fields.PastSecondary ?? fields.ThisYear,
        };
        return column is null ? null : Raw(visitor, column);
    }

    /// <summary>The practice types of an answer in a group's column, mapped into this year's words.</summary>
    private IEnumerable<string> PracticeTypes(ShowGroup group, string? value)
    {
        if (value is not { Length: > 0 }) return [];
        var lookup = _specialisationMaps[group];
        return TextKeys.SplitList(value).Select(part => lookup.GetValueOrDefault(part) ?? part);
    }

    /// <summary>A visitor column as step 1 writes it: a kept question, an extra registration field or a standard one.</summary>
    private string? Raw(PreparedVisitor visitor, string column)
    {
        for (var i = 0; i < questionColumns.Count; i++)
            if (questionColumns[i] == column) return visitor.Answers[i];
        var extra = config.Registration.ExtraRegistrationFields.IndexOf(column);
        if (extra >= 0) return extra < visitor.Registration.Extra.Length ? visitor.Registration.Extra[extra] : null;
        var r = visitor.Registration;
        return column switch
        {
            "Country" => r.Country,
            "JobTitle" => r.JobTitle,
            "Company" => r.Company,
            "BadgeType" => r.BadgeType,
            "Source" => r.Source,
            "ShowRef" => visitor.ShowRef,
            _ => null,
        };
    }
}
