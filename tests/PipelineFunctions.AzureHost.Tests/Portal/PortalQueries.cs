using System.Reflection;
using System.Text.Json;
using System.Text.RegularExpressions;
using PipelineFunctions.AzureHost.Tests.Support;
using PipelineFunctions.Core.Orchestration;
using PipelineFunctions.Core.Telemetry;

namespace PipelineFunctions.AzureHost.Tests.Portal;

/// <summary>
/// The KQL the portal runs, as infra/ deploys it (every file a Bicep module loads with loadTextContent: the workbook's
/// JSON, the alerts' .kql), and the check that a query names only what the pipeline emits.
/// </summary>
public static partial class PortalQueries
{
    /// <summary>KQL's own words the portal's queries use (operators, keywords, type names); function names are told by their parenthesis.</summary>
    private static readonly HashSet<string> KqlWords = new(StringComparer.Ordinal)
    {
        "where", "project", "extend", "summarize", "by", "and", "or", "not", "in", "order", "asc", "desc", "let", "union", "range", "from",
        "to", "step", "mv", "expand", "typeof", "string", "long", "real", "double", "dynamic", "null", "true", "false", "startswith", "has",
        "contains",
    };

    /// <summary>Every name the pipeline emits: PipelineTelemetryNames' constants and lists, and the step names and statuses it tags with.</summary>
    public static HashSet<string> EmittedNames()
    {
        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (var type in new[] { typeof(PipelineTelemetryNames), typeof(PipelineSteps), typeof(StepStatuses) })
            foreach (var nested in type.GetNestedTypes().Prepend(type))
            {
                foreach (var field in nested.GetFields(BindingFlags.Public | BindingFlags.Static).Where(f => f.IsLiteral))
                    names.Add(Convert.ToString(field.GetRawConstantValue(), System.Globalization.CultureInfo.InvariantCulture)!);
                foreach (var property in nested.GetProperties(BindingFlags.Public | BindingFlags.Static))
                    if (property.GetValue(null) is IEnumerable<string> values) names.UnionWith(values);
            }
        return names;
    }

    /// <summary>Each query the infrastructure deploys: (where it is, the query, the names its Bicep module defines for it).</summary>
    public static IEnumerable<(string Source, string Query, IReadOnlySet<string> Defined)> All()
    {
        var infra = Path.Combine(AzureHostPaths.RepositoryRoot, "infra");
        foreach (var module in Directory.EnumerateFiles(infra, "*.bicep", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
        {
            var bicep = File.ReadAllText(module);
            // A module may prefix a loaded query with its own lets (alerts.bicep: the weekly timer's events).
            var defined = LetPattern().Matches(bicep).Select(m => m.Groups[1].Value).ToHashSet(StringComparer.Ordinal);
            foreach (Match load in LoadPattern().Matches(bicep))
            {
                var path = Path.GetFullPath(Path.Combine(Path.GetDirectoryName(module)!, load.Groups[1].Value));
                var source = Path.GetRelativePath(AzureHostPaths.RepositoryRoot, path);
                if (path.EndsWith(".kql", StringComparison.Ordinal))
                {
                    yield return (source, File.ReadAllText(path), defined);
                    continue;
                }
                using var workbook = JsonDocument.Parse(File.ReadAllText(path));
                foreach (var item in workbook.RootElement.GetProperty("items").EnumerateArray())
                    if (item.GetProperty("content").TryGetProperty("query", out var query))
                        yield return ($"{source}#{item.GetProperty("name").GetString()}", query.GetString()!, defined);
            }
        }
    }

    /// <summary>
    /// The names a query uses that the pipeline does not emit: string literals (metric, span and event names, attribute
    /// keys, values), customDimensions keys, and identifiers that are neither KQL's, nor defined in the query, nor a table
    /// or column of PipelineTelemetryNames.Conventions.
    /// </summary>
    public static List<string> UnknownNames(string query, IReadOnlySet<string> defined)
    {
        var emitted = EmittedNames();
        var unknown = new List<string>();
        var text = CommentPattern().Replace(query, "");
        foreach (Match literal in LiteralPattern().Matches(text))
        {
            var value = literal.Groups[1].Success ? literal.Groups[1].Value : literal.Groups[2].Value;
            if (value.Trim().Length > 0 && !emitted.Contains(value)) unknown.Add(value);
        }
        text = LiteralPattern().Replace(text, "\"\"");
        foreach (Match key in DottedKeyPattern().Matches(text))
            if (!emitted.Contains(key.Groups[1].Value)) unknown.Add(key.Groups[1].Value);
        text = DottedKeyPattern().Replace(text, "customDimensions");
        var declared = DeclaredPattern().Matches(text).Select(m => m.Groups[1].Value).ToHashSet(StringComparer.Ordinal);
        foreach (Match identifier in IdentifierPattern().Matches(text))
        {
            var name = identifier.Value;
            if (FollowedByParenthesis(text, identifier.Index + name.Length)) continue; // a function
            if (KqlWords.Contains(name) || declared.Contains(name) || defined.Contains(name)) continue;
            if (!PipelineTelemetryNames.Conventions.Tables.Contains(name) && !PipelineTelemetryNames.Conventions.Columns.Contains(name))
                unknown.Add(name);
        }
        return unknown.Distinct(StringComparer.Ordinal).ToList();
    }

    private static bool FollowedByParenthesis(string text, int index)
    {
        while (index < text.Length && char.IsWhiteSpace(text[index])) index++;
        return index < text.Length && text[index] == '(';
    }

    [GeneratedRegex(@"loadTextContent\('([^']+)'\)")]
    private static partial Regex LoadPattern();

    [GeneratedRegex(@"\blet\s+([A-Za-z_]\w*)\s*=")]
    private static partial Regex LetPattern();

    [GeneratedRegex(@"//[^\n]*")]
    private static partial Regex CommentPattern();

    [GeneratedRegex("\"((?:[^\"\\\\]|\\\\.)*)\"|'((?:[^'\\\\]|\\\\.)*)'")]
    private static partial Regex LiteralPattern();

    [GeneratedRegex(@"\bcustomDimensions\.([A-Za-z_]\w*)")]
    private static partial Regex DottedKeyPattern();

    /// <summary>Names a query gives to columns or values: <c>x = ...</c> (not <c>==</c>) and <c>let x =</c>.</summary>
    [GeneratedRegex(@"(?<![\w.])([A-Za-z_]\w*)\s*=(?!=)")]
    private static partial Regex DeclaredPattern();

    /// <summary>Identifiers, not the unit of a timespan (<c>7d</c>) nor the part after a dot.</summary>
    [GeneratedRegex(@"(?<![\w.])[A-Za-z_]\w*")]
    private static partial Regex IdentifierPattern();
}
