namespace PipelineFunctions.Infrastructure.Tests.Graph;

/// <summary>The agenda graph contract against the embedded SQLite adapter; each test gets a new empty folder of database files.</summary>
public sealed class SqliteAgendaGraphContractTests(GraphFolderFixture folder)
    : AgendaGraphContract(folder.NewFactory()), IClassFixture<GraphFolderFixture>;
