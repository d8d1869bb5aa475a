using System.Text.RegularExpressions;
using PipelineFunctions.Core.Graph;

namespace PipelineFunctions.Infrastructure.Graph;

/// <summary>
/// The Cypher the Neo4j adapter of <see cref="IAgendaGraph"/> runs. The adapter itself (on Neo4j.Driver) is in
/// PipelineFunctions.Neo4j; this text needs no driver, so it builds and is tested with the solution. Labels and
/// relationship types cannot be parameters, so statements are built per <see cref="GraphIdentity"/> by <see cref="For"/>:
/// every identifier is checked against <see cref="IdentifierPattern"/> and backtick-quoted, and every value goes through
/// a parameter (<c>$show</c>, <c>$rows</c>, ...), never into the text.
/// <para>Conventions the adapter follows:</para>
/// <list type="bullet">
/// <item>Row-based statements start with <c>UNWIND $rows AS row</c>; send the rows in <see cref="Batches{T}"/> of at most
/// <see cref="MaxBatchSize"/>. Collapse duplicate keys within a call first (the last wins:
/// <see cref="GraphNormalisation.LastPerKey{T, TKey}"/>): rows of one batch are matched before any is merged, so a duplicate
/// would count as created twice.</item>
/// <item>Write statements return <c>created</c> and, where a row can change, <c>updated</c>; skipped = rows − created −
/// updated (a row whose endpoints are missing matches nothing and so is skipped).</item>
/// <item>Property maps hold strings; map a null value to "" (in Cypher, setting null removes a property), and refuse keys in
/// <see cref="ReservedProperties"/>. Neo4j does not keep property order: read properties back with keys in ordinal order.</item>
/// <item>Stream keys are <see cref="GraphNormalisation.StreamKey"/>, computed by the adapter; session stream names are cleaned by
/// <see cref="GraphNormalisation.CleanStreams"/> before they are sent (as the SQLite adapter stores them).</item>
/// <item>Embeddings: Neo4j has no float32 blob, so a vector is a list of floats (stored as float64; float32 values convert
/// exactly, so they round-trip bit for bit) in <c>embedding</c>, with <c>embedding_text_hash</c> and <c>embedding_model</c>.</item>
/// <item>Needs Neo4j 5 (composite uniqueness constraints, <c>EXISTS { }</c> subqueries).</item>
/// </list>
/// </summary>
public static partial class Neo4jCypher
{
    /// <summary>Most rows sent in one <c>$rows</c> parameter: large enough to amortise round trips, small enough to keep a
    /// transaction's memory bounded.</summary>
    public const int MaxBatchSize = 1000;

    /// <summary>What a label, relationship type, property key or constraint name may be.</summary>
    public const string IdentifierPattern = @"^[A-Za-z_][A-Za-z0-9_]*\z";

    /// <summary>Node properties the graph itself uses; a visitor or session column must not be called so.</summary>
    public static readonly IReadOnlySet<string> ReservedProperties = new HashSet<string>(StringComparer.Ordinal)
    {
        "show", "has_recommendation", "control_group", "streams", "stream_key", "embedding", "embedding_text_hash", "embedding_model",
    };

    /// <summary>The statements for one show's labels (its main and secondary event names name the past-visitor labels).</summary>
    /// <exception cref="ArgumentException">A label built from the identity is not a plain identifier.</exception>
    public static Neo4jGraphStatements For(GraphIdentity identity) => new(identity);

    /// <summary>Consecutive slices of <paramref name="rows"/>, in order, each of at most <paramref name="batchSize"/> rows;
    /// none when there are no rows.</summary>
    public static IEnumerable<IReadOnlyList<T>> Batches<T>(IReadOnlyList<T> rows, int batchSize = MaxBatchSize)
    {
        ArgumentNullException.ThrowIfNull(rows);
        ArgumentOutOfRangeException.ThrowIfLessThan(batchSize, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(batchSize, MaxBatchSize);
        return Slices(rows, batchSize);

        static IEnumerable<IReadOnlyList<T>> Slices(IReadOnlyList<T> rows, int batchSize)
        {
            for (var start = 0; start < rows.Count; start += batchSize)
            {
                var batch = new T[Math.Min(batchSize, rows.Count - start)];
                for (var i = 0; i < batch.Length; i++) batch[i] = rows[start + i];
                yield return batch;
            }
        }
    }

    public static bool IsIdentifier(string? name) => name is not null && Identifier().IsMatch(name);

    /// <summary>The name in backticks, after checking it is a plain identifier (so no quoting can be escaped).</summary>
    /// <exception cref="ArgumentException">The name is not a plain identifier.</exception>
    public static string Quote(string name)
    {
        if (!IsIdentifier(name))
            throw new ArgumentException(
                $"'{name}' cannot be a Neo4j label, type or property name here: use letters, digits and '_' only, " +
                "not starting with a digit", nameof(name));
        return $"`{name}`";
    }

    [GeneratedRegex(IdentifierPattern, RegexOptions.CultureInvariant)]
    private static partial Regex Identifier();
}
