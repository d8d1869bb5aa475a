using Microsoft.Data.Sqlite;
using PipelineFunctions.Core;
using PipelineFunctions.Core.Graph;

namespace PipelineFunctions.Infrastructure.Graph;

/// <summary>
/// Opens embedded agenda graphs: one SQLite file per graph environment, <c>&lt;root&gt;/&lt;environment&gt;.sqlite</c>,
/// shared by every show (each graph instance sees only its own show's rows). Each <see cref="OpenAsync"/> returns a new
/// instance with its own connection, so parallel workers each open their own; instances on one file may write concurrently.
/// </summary>
public sealed class SqliteAgendaGraphFactory : IAgendaGraphFactory
{
    /// <summary>The graph environments; each is a separate database file.</summary>
    public static readonly IReadOnlyList<string> Environments = ["dev", "test", "prod"];

    public const string FileExtension = ".sqlite";

    /// <param name="rootFolder">Relative (to the current directory) or absolute folder; created on the first open.</param>
    public SqliteAgendaGraphFactory(string rootFolder)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(rootFolder);
        RootFolder = Path.GetFullPath(rootFolder);
    }

    /// <summary>Absolute folder holding the environment files.</summary>
    public string RootFolder { get; }

    /// <summary>The database file of a graph environment.</summary>
    /// <exception cref="PipelineInputException">The environment is not dev, test or prod.</exception>
    public string DatabasePath(string environment)
    {
        if (environment is null || !Environments.Contains(environment, StringComparer.Ordinal))
            throw new PipelineInputException("graph environment",
                $"'{environment}' is not a graph environment; use one of {string.Join(", ", Environments)}", field: "graph.environment");
        return Path.Combine(RootFolder, environment + FileExtension);
    }

    // SQLite result codes a user can cause with the file itself (https://sqlite.org/rescode.html).
    private const int SqliteCorrupt = 11, SqliteCannotOpen = 14, SqliteNotADatabase = 26, SqliteReadOnly = 8;

    /// <summary>Opens (creating if needed, schema included) the graph of <paramref name="identity"/>'s show in its environment.</summary>
    /// <exception cref="PipelineInputException">The environment is not dev, test or prod, or a name of the identity is blank.</exception>

    public async Task<IAgendaGraph> OpenAsync(GraphIdentity identity, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(identity);
        var path = DatabasePath(identity.Environment);
        identity.EnsureUsable();

        Directory.CreateDirectory(RootFolder);
        try
        {
            return await SqliteAgendaGraph.OpenAsync(path, identity, cancellationToken);
        }
        catch (SqliteException e) when (e.SqliteErrorCode is SqliteNotADatabase or SqliteCorrupt or SqliteCannotOpen or SqliteReadOnly)
        {
            // A damaged or foreign file is something the user can act on: name it, and never touch it.
            throw new PipelineInputException(path, $"cannot be used as the {identity.Environment} graph database: {e.Message.TrimEnd('.')}"
                + (e.SqliteErrorCode is SqliteCorrupt or SqliteNotADatabase
                    ? "; move the file aside and run the pipeline again with --force to rebuild the graph from step 1"
                    : ""), inner: e);
        }
    }
}
