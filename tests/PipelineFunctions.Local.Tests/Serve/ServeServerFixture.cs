namespace PipelineFunctions.Local.Tests.Serve;

/// <summary>One server shared by the tests of a class that start no runs (refusals, 401, 404).</summary>
public sealed class ServeServerFixture : IAsyncLifetime
{
    public ServeServer Server { get; private set; } = null!;

    public async Task InitializeAsync() => Server = await ServeServer.StartAsync();

    public async Task DisposeAsync() => await Server.DisposeAsync();
}
