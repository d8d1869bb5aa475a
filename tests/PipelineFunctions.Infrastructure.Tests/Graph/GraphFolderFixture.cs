using Microsoft.Data.Sqlite;
using PipelineFunctions.Infrastructure.Graph;

namespace PipelineFunctions.Infrastructure.Tests.Graph;

/// <summary>A temporary folder for one graph test class, removed with its databases when the class is done.</summary>
public sealed class GraphFolderFixture : IDisposable
{
    public string Path { get; } = Directory.CreateTempSubdirectory("pf-graph-").FullName;

    /// <summary>A factory over a new empty folder, so each test starts from empty databases.</summary>
    public SqliteAgendaGraphFactory NewFactory() => new(System.IO.Path.Combine(Path, Guid.NewGuid().ToString("N")[..12]));

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        if (Directory.Exists(Path)) Directory.Delete(Path, recursive: true);
    }
}
