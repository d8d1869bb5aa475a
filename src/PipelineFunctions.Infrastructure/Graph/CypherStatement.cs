using System.Text.RegularExpressions;

namespace PipelineFunctions.Infrastructure.Graph;

/// <summary>A Cypher statement with a name for logs and errors; values go in the parameters it names.</summary>
public sealed partial record CypherStatement(string Name, string Text)
{
    /// <summary>The parameter names (without <c>$</c>) the text uses, in order of first use.</summary>
    public IReadOnlyList<string> Parameters { get; } = ParameterReference().Matches(Text).Select(m => m.Groups[1].Value).Distinct().ToArray();

    public bool UsesRows => Parameters.Contains("rows");

    [GeneratedRegex(@"\$([A-Za-z_][A-Za-z0-9_]*)", RegexOptions.CultureInvariant)]
    private static partial Regex ParameterReference();
}
