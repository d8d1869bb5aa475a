using Microsoft.Extensions.Hosting;

namespace PipelineFunctions.LocalServer;

/// <summary>
/// A host lifetime that leaves SIGINT and SIGTERM alone. The default console lifetime stops the web host on either
/// signal at once, which would cut the read routes off during the grace period; `pa serve` handles the signals itself,
/// drains the runs and only then stops the server.
/// </summary>
internal sealed class CallerStoppedLifetime : IHostLifetime
{
    public Task WaitForStartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
