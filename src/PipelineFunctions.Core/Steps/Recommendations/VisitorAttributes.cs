using PipelineFunctions.Core.Events;
using PipelineFunctions.Core.Graph;
using PipelineFunctions.Core.Inputs;

namespace PipelineFunctions.Core.Steps.Recommendations;

/// <summary>
/// A visitor's values of the configured similarity attributes, comparable across the three visitor groups.
/// The practice type is asked under another column and in other words at each show (BVA's "Companion Animal" is
/// LVS's "Small Animal"), so it is read from the group's column and mapped through the group's specialisation map.
/// </summary>
public sealed class VisitorAttributes
{
    private readonly EventConfig _config;
    private readonly Dictionary<VisitorKind, Dictionary<string, string>> _specialisationMaps;

    public VisitorAttributes(EventConfig config)
    {
        _config = config;
        var maps = config.Streams.SpecialisationMaps;
        _specialisationMaps = new()
        {
            [VisitorKind.ThisYear] = new(maps.ThisYear, StringComparer.OrdinalIgnoreCase),
            [VisitorKind.PastMain] = new(maps.PastMain, StringComparer.OrdinalIgnoreCase),
            [VisitorKind.PastSecondary] = new(maps.PastSecondary, StringComparer.OrdinalIgnoreCase),
        };
        Names = config.Recommendation.SimilarityAttributes.Keys.ToArray();
        Weights = config.Recommendation.SimilarityAttributes.Values.ToArray();
    }

    public IReadOnlyList<string> Names { get; }
    public IReadOnlyList<double> Weights { get; }

    /// <summary>The visitor's value of every similarity attribute, in <see cref="Names"/> order.</summary>
    public IReadOnlyList<string?> Of(VisitorKind kind, VisitorNode visitor) => Names.Select(a => Of(kind, visitor, a)).ToList();

    /// <summary>A key equal for visitors whose attributes are equal after normalisation (they have the same similar visitors).</summary>
    public static string Signature(IEnumerable<string?> values) => string.Join('\u001f',
        values.Select(a => a?.Trim().ToLowerInvariant() ?? "\u0000"));

    public string? Of(VisitorKind kind, VisitorNode visitor, string attribute)
    {
        var fields = _config.Registration.PracticeTypeFields;
        if (attribute != fields.ThisYear) return visitor.Properties.GetValueOrDefault(attribute);
        var value = visitor.Properties.GetValueOrDefault(PracticeTypeColumn(kind) ?? attribute);
        var map = _specialisationMaps[kind];
        if (string.IsNullOrEmpty(value) || map.Count == 0) return value;
        return string.Join(';', TextKeys.SplitList(value).Select(part => map.GetValueOrDefault(part) ?? part));
    }

    /// <summary>The visitor's specialisation answers in this year's words (each answer mapped through the group's map).</summary>
    public IReadOnlyList<string> Specialisations(VisitorKind kind, VisitorNode visitor)
    {
        var column = PracticeTypeColumn(kind);
        if (column is null || visitor.Properties.GetValueOrDefault(column) is not { Length: > 0 } value) return [];
        var map = _specialisationMaps[kind];
        return TextKeys.SplitList(value).Select(part => map.GetValueOrDefault(part) ?? part).ToList();
    }

    /// <summary>Every column <see cref="Of(VisitorKind, VisitorNode)"/> reads of a visitor of the given group.</summary>
    public IReadOnlySet<string> ColumnsRead(VisitorKind kind)
    {
        var columns = new HashSet<string>(Names, StringComparer.Ordinal);
        if (PracticeTypeColumn(kind) is { } practiceType) columns.Add(practiceType);
        return columns;
    }

    private string? PracticeTypeColumn(VisitorKind kind)
    {
        var fields = _config.Registration.PracticeTypeFields;
        return kind switch
        {
            VisitorKind.ThisYear => fields.ThisYear,
            VisitorKind.PastMain => fields.PastMain ?? fields.ThisYear,
            _ => fields.PastSecondary ?? fields.ThisYear,
        };
    }
}
