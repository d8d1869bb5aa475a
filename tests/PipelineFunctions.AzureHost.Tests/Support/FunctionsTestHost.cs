using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;
using Microsoft.DurableTask.Testing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using PipelineFunctions.Core.Artifacts;
using PipelineFunctions.Core.Orchestration;
using PipelineFunctions.Hosting;
using PipelineFunctions.Infrastructure.Artifacts;
using PipelineFunctions.Infrastructure.Tests.Artifacts;

namespace PipelineFunctions.AzureHost.Tests.Support;

/// <summary>
/// The Functions app on the real Durable Task engine (DurableTaskTestHost: durabletask-dotnet's worker and client over
/// an in-process sidecar), wired by the app's own composition root from app settings: artifacts and inputs in their
/// own Azurite containers, the embedded SQLite graph, the committed vet_lva sample uploaded as input "vet_lva".
/// </summary>
public sealed class FunctionsTestHost : IAsyncDisposable
{
    public const string SampleInput = "vet_lva";

    private readonly DurableTaskTestHost _host;
    private readonly DirectoryInfo _temp;

    private FunctionsTestHost(DurableTaskTestHost host, DirectoryInfo temp, AppFunctions functions, RecordingDataConverter payloads,
        CapturedLogs logs)
        => (_host, _temp, Functions, Payloads, Logs) = (host, temp, functions, payloads, logs);

    public DurableTaskClient Client => _host.Client;

    public IServiceProvider Services => _host.Services;

    public AppFunctions Functions { get; }

    public RecordingDataConverter Payloads { get; }

    public CapturedLogs Logs { get; }

    public IArtifactStore Store => Services.GetRequiredService<IPipelineServices>().Store;

    /// <param name="fault">Fails artifact writes the test picks (null: none).</param>
    /// <param name="settings">App settings to add or replace (null values remove one).</param>
    public static async Task<FunctionsTestHost> StartAsync(AzuriteFixture azurite, Func<ArtifactPath, Exception?>? fault = null,
        IReadOnlyDictionary<string, string?>? settings = null)
    {
        var temp = Directory.CreateTempSubdirectory("pa-functions-");
        var inputs = $"{azurite.ConnectionString.TrimEnd(';')};Container={AzuriteFixture.NewContainerName("inputs")}";
        var artifacts = $"{azurite.ConnectionString.TrimEnd(';')};Container={AzuriteFixture.NewContainerName("artifacts")}";
        await UploadFolderAsync(Path.Combine(AzureHostPaths.Samples, SampleInput), ArtifactStoreLocator.Open(inputs + "/" + SampleInput));

        var appSettings = new Dictionary<string, string?>
        {
            [AzureHostOptions.ArtifactsSetting] = artifacts,
            [AzureHostOptions.InputsSetting] = inputs,
            [AzureHostOptions.GraphSetting] = "sqlite",
            [AzureHostOptions.GraphFolderSetting] = Path.Combine(temp.FullName, "graph"),
            [AzureHostOptions.WeeklyEventsSetting] = SampleInput,
            [AzureHostOptions.ScheduleSetting] = "0 0 4 * * 0",
        };
        foreach (var (name, value) in settings ?? new Dictionary<string, string?>()) appSettings[name] = value;
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(appSettings).Build();

        IServiceProvider? provider = null;
        var functions = new AppFunctions(() => provider ?? throw new InvalidOperationException("the host has not started"));
        var payloads = new RecordingDataConverter(AzureHostJson.Options);
        var logs = new CapturedLogs();
        var host = await DurableTaskTestHost.StartAsync(functions.Register, new DurableTaskTestHostOptions
        {
            ConfigureServices = services =>
            {
                services.AddPipelineFunctions(configuration);
                services.AddSingleton<DataConverter>(payloads);
                services.AddSingleton<ILoggerProvider>(logs);
                if (fault is not null) Decorate(services, fault);
            },
        });
        provider = host.Services;
        return new FunctionsTestHost(host, temp, functions, payloads, logs);
    }

    /// <summary>Uploads an input folder (another sample, or a corrupted copy) under the inputs container.</summary>
    public Task UploadInputAsync(string folder, string input) =>
        UploadFolderAsync(folder, ArtifactStoreLocator.Open(Services.GetRequiredService<IOptions<AzureHostOptions>>().Value.InputLocation(input)));

    /// <summary>Waits for a run to finish (completed, failed or terminated), failing the test after the timeout.</summary>
    public async Task<OrchestrationMetadata> WaitAsync(string instanceId, TimeSpan? timeout = null)
    {
        using var cancel = new CancellationTokenSource(timeout ?? TimeSpan.FromMinutes(3));
        return await Client.WaitForInstanceCompletionAsync(instanceId, getInputsAndOutputs: true, cancel.Token);
    }

    public async ValueTask DisposeAsync()
    {
        await _host.DisposeAsync();
        try
        {
            _temp.Delete(recursive: true);
        }
        catch (IOException)
        {
            // A graph file still held open by a finishing activity: the OS temp folder keeps it.
        }
    }

    private static void Decorate(IServiceCollection services, Func<ArtifactPath, Exception?> fault)
    {
        var original = services.Last(d => d.ServiceType == typeof(IPipelineServices));
        services.Remove(original);
        services.AddSingleton<IPipelineServices>(sp => new FaultInjectingServices((IPipelineServices)original.ImplementationFactory!(sp), fault));
    }

    private static async Task UploadFolderAsync(string folder, IArtifactStore target)
    {
        foreach (var file in Directory.EnumerateFiles(folder))
        {
            await using var content = File.OpenRead(file);
            await target.PutAsync(ArtifactPath.Parse(Path.GetFileName(file)), content);
        }
    }
}
