using System.Reflection;
using System.Text.RegularExpressions;
using PipelineFunctions.Core.Graph;
using PipelineFunctions.Infrastructure.Graph;

namespace PipelineFunctions.Infrastructure.Tests.Graph;

public sealed partial class Neo4jCypherTests
{
    private static readonly GraphIdentity VetLva = new("vet_lva", "lva", "bva", "dev");
    private static readonly Neo4jGraphStatements Statements = Neo4jCypher.For(VetLva);

    public static TheoryData<string> StatementNames() => [.. Statements.All.Select(s => s.Name)];

    private static CypherStatement Named(string name) => Statements.All.Single(s => s.Name == name);

    /// <summary>The text with every backticked identifier removed: what is left is Cypher syntax and parameters.</summary>
    private static string OutsideBackticks(string text) => Backticked().Replace(text, "");

    [Theory]
    [MemberData(nameof(StatementNames))]
    public void Statement_holds_no_literal_value(string name)
    {
        var syntax = OutsideBackticks(Named(name).Text);

        Assert.DoesNotContain('`', syntax); // every backtick pairs up
        Assert.DoesNotContain('\'', syntax);
        Assert.DoesNotContain('"', syntax);
        Assert.False(syntax.Any(char.IsDigit), $"digits outside identifiers in '{name}':\n{Named(name).Text}");
        Assert.DoesNotContain("vet_lva", Named(name).Text); // the show only ever travels as $show
    }

    [Theory]
    [MemberData(nameof(StatementNames))]
    public void Statement_brackets_balance(string name)
    {
        var syntax = OutsideBackticks(Named(name).Text);
        var open = new Stack<char>();
        foreach (var c in syntax)
        {
            if (c is '(' or '[' or '{') open.Push(c);
            else if (c is ')' or ']' or '}')
            {
                Assert.NotEmpty(open);
                Assert.Equal(c switch { ')' => '(', ']' => '[', _ => '{' }, open.Pop());
            }
        }
        Assert.Empty(open);
    }

    [Theory]
    [MemberData(nameof(StatementNames))]
    public void Data_statements_scope_by_show_and_row_statements_unwind_rows(string name)
    {
        var statement = Named(name);
        if (statement.Text.StartsWith("CREATE CONSTRAINT", StringComparison.Ordinal))
        {
            Assert.Empty(statement.Parameters);
            return;
        }
        Assert.Contains("show", statement.Parameters);
        if (statement.UsesRows)
            Assert.StartsWith("UNWIND $rows AS row\n", statement.Text.ReplaceLineEndings("\n"), StringComparison.Ordinal);
        else
            Assert.DoesNotContain("row.", statement.Text);
    }

    [Fact]
    public void Every_statement_member_is_listed_in_All_for_every_argument()
    {
        var listed = Statements.All.Select(s => s.Text).ToHashSet();
        var produced = new List<CypherStatement>();
        foreach (var member in typeof(Neo4jGraphStatements).GetMembers(BindingFlags.Public | BindingFlags.Instance))
        {
            if (member is PropertyInfo { Name: not nameof(Neo4jGraphStatements.All) } property)
            {
                var value = property.GetValue(Statements);
                if (value is CypherStatement statement) produced.Add(statement);
                if (value is IEnumerable<CypherStatement> statements) produced.AddRange(statements);
                if (value is IEnumerable<CypherCount> counts) produced.AddRange(counts.Select(c => c.Statement));
            }
            else if (member is MethodInfo { IsSpecialName: false } method && method.ReturnType == typeof(CypherStatement))
            {
                foreach (var arguments in ArgumentCombinations(method.GetParameters()))
                {
                    try { produced.Add((CypherStatement)method.Invoke(Statements, arguments)!); }
                    catch (TargetInvocationException e) when (e.InnerException is ArgumentException)
                    {
                        // e.g. a past-only statement asked for this year
                    }
                }
            }
        }

        Assert.True(produced.Count > 40, $"only {produced.Count} statements found");
        Assert.All(produced, s => Assert.Contains(s.Text, listed));
        Assert.Equal(Statements.All.Count, Statements.All.Select(s => s.Name).Distinct().Count());
    }

    [Fact]
    public void Past_only_statements_refuse_this_years_visitors()
    {
        Assert.Throws<ArgumentException>(() => Statements.LinkSameVisitors(VisitorKind.ThisYear, GraphWriteMode.Full));
        Assert.Throws<ArgumentException>(() => Statements.LinkAttendedSessions(VisitorKind.ThisYear, GraphWriteMode.Full));
        Assert.Throws<ArgumentException>(() => Statements.ReadAttendedSessions(VisitorKind.ThisYear));
    }

    [Fact]
    public void Constraints_cover_every_node_label_on_key_and_show()
    {
        var expected = new[]
        {
            ("Visitor_this_year", "BadgeId"), ("Visitor_last_year_lva", "BadgeId"), ("Visitor_last_year_bva", "BadgeId"),
            ("Sessions_this_year", "session_id"), ("Sessions_past_year", "session_id"), ("Stream", "stream_key"),
        };
        Assert.Equal(expected.Length, Statements.Constraints.Count);
        foreach (var (label, key) in expected)
        {
            var constraint = Assert.Single(Statements.Constraints, c => c.Text.Contains($"(n:`{label}`)", StringComparison.Ordinal));
            Assert.Equal($"CREATE CONSTRAINT `{label}_key` IF NOT EXISTS FOR (n:`{label}`) REQUIRE (n.`{key}`, n.`show`) IS UNIQUE", constraint.Text);
        }
        // Every label a statement writes has a constraint.
        var constrained = expected.Select(e => e.Item1).ToHashSet();
        foreach (var statement in Statements.All)
            foreach (Match merge in MergedLabel().Matches(statement.Text))
                Assert.Contains(merge.Groups[1].Value, constrained);
    }

    [Fact]
    public void Full_mode_sets_properties_and_incremental_only_on_create()
    {
        var full = Statements.UpsertVisitors(VisitorKind.ThisYear, GraphWriteMode.Full).Text;
        var incremental = Statements.UpsertVisitors(VisitorKind.ThisYear, GraphWriteMode.Incremental).Text;

        Assert.Contains("MERGE (n:`Visitor_this_year` {`BadgeId`: row.key, `show`: $show})", full);
        Assert.Contains("SET n += row.properties", full);
        Assert.Contains("ON CREATE SET n += row.properties", incremental);
        Assert.DoesNotContain("FOREACH", incremental);
        Assert.Contains("MERGE (n:`Visitor_last_year_bva`", Statements.UpsertVisitors(VisitorKind.PastSecondary, GraphWriteMode.Full).Text);
    }

    [Fact]
    public void Reads_blank_out_the_graphs_own_properties()
    {
        var read = Statements.ReadSessions(SessionYear.ThisYear).Text;

        Assert.Contains("s {.*, `control_group`: null, `embedding`: null, `embedding_model`: null, `embedding_text_hash`: null, " +
            "`has_recommendation`: null, " +
            "`show`: null, `stream_key`: null, `streams`: null} AS properties", read);
        Assert.Contains("ORDER BY sessionId", read);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(999)]
    [InlineData(1000)]
    [InlineData(1001)]
    [InlineData(2500)]
    public void Batches_never_exceed_the_maximum_and_keep_order(int count)
    {
        var rows = Enumerable.Range(0, count).ToArray();

        var batches = Neo4jCypher.Batches(rows).ToList();

        Assert.All(batches, b => Assert.InRange(b.Count, 1, Neo4jCypher.MaxBatchSize));
        Assert.Equal(rows, batches.SelectMany(b => b));
        Assert.Equal((count + Neo4jCypher.MaxBatchSize - 1) / Neo4jCypher.MaxBatchSize, batches.Count);
    }

    [Fact]
    public void Batches_of_a_smaller_size_keep_order_and_larger_sizes_are_refused()
    {
        var rows = Enumerable.Range(0, 10).ToArray();

        Assert.Equal([4, 4, 2], Neo4jCypher.Batches(rows, 4).Select(b => b.Count));
        Assert.Equal(rows, Neo4jCypher.Batches(rows, 4).SelectMany(b => b));
        Assert.Throws<ArgumentOutOfRangeException>(() => Neo4jCypher.Batches(rows, Neo4jCypher.MaxBatchSize + 1));
        Assert.Throws<ArgumentOutOfRangeException>(() => Neo4jCypher.Batches(rows, 0));
    }

    [Theory]
    [InlineData("lv a")]
    [InlineData("lva'")]
    [InlineData("lva\"")]
    [InlineData("lva`")]
    [InlineData("lva)")]
    [InlineData("lva}) DETACH DELETE n //")]
    [InlineData("lva\n")]
    [InlineData("lvä")]
    [InlineData("")]
    public void Identifiers_that_could_escape_quoting_are_refused(string eventName)
    {
        Assert.Throws<ArgumentException>(() => Neo4jCypher.For(VetLva with { MainEventName = eventName }));
        Assert.Throws<ArgumentException>(() => Neo4jCypher.For(VetLva with { SecondaryEventName = eventName }));
        Assert.Throws<ArgumentException>(() => Neo4jCypher.Quote(eventName));
    }

    [Theory]
    [InlineData("Visitor_last_year_lva")]
    [InlineData("_x")]
    [InlineData("a1")]
    public void Plain_identifiers_are_backtick_quoted(string name) => Assert.Equal($"`{name}`", Neo4jCypher.Quote(name));

    [Fact]
    public void Identifier_starting_with_a_digit_is_refused() => Assert.Throws<ArgumentException>(() => Neo4jCypher.Quote("1lva"));

    [Fact]
    public void Equal_main_and_secondary_names_are_refused() =>
        Assert.Throws<ArgumentException>(() => Neo4jCypher.For(VetLva with { SecondaryEventName = "lva" }));

    [Fact]
    public void Statements_list_the_parameters_they_use()
    {
        var create = Statements.CreateRecommendations;

        Assert.Equal(["rows", "show", "generatedAt"], create.Parameters);
        Assert.Equal(["show", "limit"], Statements.DeleteThisYearSessions.Parameters);
        Assert.Equal(["show", "onlyWithoutRecommendation"], Statements.ReadVisitors(VisitorKind.ThisYear).Parameters);
    }

    private static IEnumerable<object[]> ArgumentCombinations(ParameterInfo[] parameters)
    {
        IEnumerable<object[]> combinations = [[]];
        foreach (var parameter in parameters)
        {
            Assert.True(parameter.ParameterType.IsEnum, $"{parameter.Member.Name}({parameter.Name}): only enum arguments are enumerated");
            var values = Enum.GetValues(parameter.ParameterType).Cast<object>().ToArray();
            combinations = combinations.SelectMany(c => values.Select(v => c.Append(v).ToArray())).ToList();
        }
        return combinations;
    }

    [GeneratedRegex("`[^`]*`")]
    private static partial Regex Backticked();

    [GeneratedRegex(@"(?:MERGE|CREATE) \(\w+:`(\w+)`")]
    private static partial Regex MergedLabel();
}
