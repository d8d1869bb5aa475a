using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using PipelineFunctions.Core;
using PipelineFunctions.Core.Artifacts;
using PipelineFunctions.Core.Graph;
using PipelineFunctions.Core.Orchestration.Notifications;
using PipelineFunctions.Core.Steps.Embeddings;
using PipelineFunctions.Infrastructure.Artifacts;
using PipelineFunctions.Infrastructure.Embeddings;
using PipelineFunctions.Infrastructure.Graph;
using PipelineFunctions.Infrastructure.Notifications;
using PipelineFunctions.LocalEngine;
using PipelineFunctions.LocalServer;

namespace PipelineFunctions.Local.Commands;

/// <summary>
/// What the commands get their settings and services from (registered by
/// <see cref="PaServiceCollectionExtensions.AddPaHost"/>): a command-line value wins, else the bound setting, else the
/// default. The options are read only when a command runs, after <see cref="PaCommandLine"/> validated them.
/// </summary>
internal sealed class PaServices(IOptions<PaOptions> host, IOptions<LocalEngineOptions> engine, IOptions<AzureOpenAIEmbeddingOptions> azureOpenAI,
    IOptions<RunNotificationOptions> notifications, IEnumerable<ISessionEmbeddingGeneratorFactory> embeddingGenerators)
{
    /// <summary>Azure OpenAI settings for step 3's azure_openai generator; null when none are configured.</summary>
    public AzureOpenAIEmbeddingSettings? AzureOpenAI => azureOpenAI.Value.ToSettings();

    /// <summary>Step-3 generators pa offers beside local and azure_openai (minilm).</summary>
    public IReadOnlyList<ISessionEmbeddingGeneratorFactory> EmbeddingGenerators { get; } = [.. embeddingGenerators];

    /// <summary>Step 3's generators over <paramref name="store"/>: local, azure_openai when configured, and the offered ones.</summary>
    public SessionEmbedderProvider Embedders(IArtifactStore store) => new(store, AzureOpenAI, EmbeddingGenerators);

    public string StoreLocation(string? commandLineValue) => commandLineValue ?? host.Value.Store ?? Path.GetFullPath(PaOptions.DefaultStore);

    public IArtifactStore OpenStore(string? commandLineValue) => ArtifactStoreLocator.Open(StoreLocation(commandLineValue));

    public IAgendaGraphFactory Graphs(string? commandLineValue) =>
        new SqliteAgendaGraphFactory(Path.GetFullPath(commandLineValue ?? host.Value.Graph ?? PaOptions.DefaultGraph));

    public string InputsRoot(string? commandLineValue) => Path.GetFullPath(commandLineValue ?? host.Value.InputsRoot ?? PaOptions.DefaultInputsRoot);

    /// <summary>The API key text and where it came from (the option's or the variable's name), or nulls when neither is set.</summary>
    public (string? Key, string Source) ApiKey(string? commandLineValue) =>
        commandLineValue is not null ? (commandLineValue, "--api-key") : (host.Value.ApiKey, PaOptions.ApiKeyVariable);

    /// <summary>How long `pa serve` lets activities in flight finish on shutdown: the option, else the variable, else the default.</summary>
    public TimeSpan ShutdownGrace(int? commandLineSeconds)
    {
        if (commandLineSeconds is { } seconds)
            return seconds is >= 0 and <= ServeSettings.MaxShutdownGraceSeconds
                ? TimeSpan.FromSeconds(seconds)
                : throw new PipelineInputException("--shutdown-grace",
                    $"{seconds} is not a number of seconds from 0 to {ServeSettings.MaxShutdownGraceSeconds}");
        return PaOptions.TryParseShutdownGrace(host.Value.ShutdownGraceText, out var grace) && grace is { } set
            ? set
            : ServeSettings.DefaultShutdownGrace;
    }

    /// <summary>
    /// The local engine over the given store and graphs, with the run store, lease, parallelism, embedder and notification
    /// settings.
    /// </summary>
    public LocalHost CreateLocalHost(IArtifactStore store, IAgendaGraphFactory graphs, string? runStoreCommandLineValue,
        Func<string, IArtifactStore> openInput, bool verbose, int maxConcurrentRuns)
    {
        var loggers = CliLogging.Create(verbose);
        return new(store, graphs, engine.Value.RunStorePath(runStoreCommandLineValue), PaCommandLine.FindConfigRoot(), openInput,
            loggers, TimeProvider.System, maxConcurrentRuns, engine.Value.Lease, AzureOpenAI, engine.Value.ParallelActivities, Notifier(loggers),
            EmbeddingGenerators);
    }

    /// <summary>The webhook of <see cref="RunNotificationOptions.WebhookUrlSetting"/>, or no notifications when it is not set.</summary>
    private IRunNotifier Notifier(ILoggerFactory loggers) => notifications.Value is { Webhook: { } url } options
        ? new WebhookRunNotifier(options, _ => Task.FromResult<string?>(url), loggers.CreateLogger<WebhookRunNotifier>())
        : DisabledRunNotifier.Instance;
}
