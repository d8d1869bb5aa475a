using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using PipelineFunctions.Core.Artifacts;
using PipelineFunctions.Infrastructure.Artifacts;
using PipelineFunctions.Infrastructure.Graph;
using PipelineFunctions.LocalEngine;

namespace PipelineFunctions.Local.Tests.Support;

/// <summary>
/// The local engine over a folder, as a `pa` process on the embedded defaults has it: store/, graph/ and runs.sqlite under
/// it, the repository's config. Two opened on one folder act as two processes sharing their stores.
/// </summary>
public static class TestLocalHost
{
    /// <param name="wrapStore">Decorates the run's artifact store (a test hook inside the steps).</param>
    /// <param name="openInput">How a run's input name is opened; default: any folder or URI.</param>
    public static LocalHost Open(string folder, Func<IArtifactStore, IArtifactStore>? wrapStore = null,
        Func<string, IArtifactStore>? openInput = null, ILoggerFactory? loggers = null, TimeProvider? time = null, int maxRuns = 2,
        TimeSpan? lease = null) =>
        new((wrapStore ?? (store => store))(ArtifactStoreLocator.Open(Path.Combine(folder, "store"))),
            new SqliteAgendaGraphFactory(Path.Combine(folder, "graph")), Path.Combine(folder, "runs.sqlite"), Repository.Root,
            openInput ?? LocalPipelineServices.OpenAnyInput, loggers ?? NullLoggerFactory.Instance, time ?? TimeProvider.System, maxRuns,
            lease);
}
