using DurableTask.Core.Exceptions;
using Grpc.Core;
using Microsoft.Extensions.Logging.Abstractions;
using PipelineFunctions.AzureHost.Tests.Support;
using PipelineFunctions.Core;
using PipelineFunctions.Core.Graph;
using PipelineFunctions.Hosting;
using PipelineFunctions.Infrastructure.Secrets;

namespace PipelineFunctions.AzureHost.Tests;

/// <summary>The Azure host's settings, services and run-start rules.</summary>
public sealed class HostingTests
{
    private static AzureHostSettings Settings(string inputs = "https://acct.blob.core.windows.net/inputs") =>
        new("https://acct.blob.core.windows.net/artifacts", inputs, null, []);

    [Theory]
    [InlineData("https://acct.blob.core.windows.net/inputs", "vet_lva/2026 may", "https://acct.blob.core.windows.net/inputs/vet_lva/2026%20may")]
    [InlineData("https://acct.blob.core.windows.net/inputs/", "vet_lva", "https://acct.blob.core.windows.net/inputs/vet_lva")]
    [InlineData("https://acct.blob.core.windows.net/inputs?sv=1&sig=abc", "ecomm", "https://acct.blob.core.windows.net/inputs/ecomm?sv=1&sig=abc")]
    [InlineData("UseDevelopmentStorage=true;Container=inputs", "vet_lva/current", "UseDevelopmentStorage=true;Container=inputs/vet_lva/current")]
    [InlineData("/data/inputs", "vet_lva", "/data/inputs/vet_lva")]
    public void An_input_folder_is_placed_under_the_inputs_root_in_the_root_own_form(string root, string input, string expected) =>
        Assert.Equal(expected, Settings(root).InputLocation(input));

    [Theory]
    [InlineData("../other")]
    [InlineData("/etc")]
    [InlineData("https://evil.example/x")]
    [InlineData("UseDevelopmentStorage=true;Container=x")]
    [InlineData("a/%2e%2e/b")]
    [InlineData("")]
    public void An_input_that_could_leave_the_inputs_root_is_refused_on_field_input(string input)
    {
        var error = Assert.Throws<PipelineInputException>(() => Settings().InputLocation(input));
        Assert.Equal("input", error.Field);
    }

    [Fact]
    public void Settings_are_read_from_app_settings_and_name_what_is_missing()
    {
        var values = new Dictionary<string, string?>
        {
            [AzureHostSettings.ArtifactsSetting] = "https://acct.blob.core.windows.net/artifacts",
            [AzureHostSettings.InputsSetting] = "https://acct.blob.core.windows.net/inputs",
            [AzureHostSettings.KeyVaultSetting] = "https://kv-test.vault.azure.net/",
            [AzureHostSettings.WeeklyEventsSetting] = " vet_lva , ecomm=ecomm/current ",
        };
        var settings = AzureHostSettings.From(name => values.GetValueOrDefault(name));
        Assert.Equal(new Uri("https://kv-test.vault.azure.net/"), settings.KeyVaultUri);
        Assert.Equal([new WeeklyEvent("vet_lva", "vet_lva"), new WeeklyEvent("ecomm", "ecomm/current")], settings.WeeklyEvents);

        values[AzureHostSettings.KeyVaultSetting] = "";
        Assert.Null(AzureHostSettings.From(name => values.GetValueOrDefault(name)).KeyVaultUri);

        values[AzureHostSettings.InputsSetting] = null;
        Assert.Contains(AzureHostSettings.InputsSetting, Assert.Throws<InvalidOperationException>(() => AzureHostSettings.From(name => values.GetValueOrDefault(name))).Message);

        Assert.Contains("listed twice", Assert.Throws<InvalidOperationException>(() => AzureHostSettings.ParseWeeklyEvents("vet_lva,vet_lva")).Message);
        Assert.Contains("'..' segment", Assert.Throws<InvalidOperationException>(() => AzureHostSettings.ParseWeeklyEvents("vet_lva=../x")).Message);
        Assert.Empty(AzureHostSettings.ParseWeeklyEvents(null));

        // The graph: Neo4j unless told sqlite, which needs its folder.
        Assert.True(settings.UsesNeo4j);
        values[AzureHostSettings.InputsSetting] = "https://acct.blob.core.windows.net/inputs";
        values[AzureHostSettings.GraphSetting] = "SQLite";
        Assert.Contains(AzureHostSettings.GraphFolderSetting, Assert.Throws<InvalidOperationException>(() => AzureHostSettings.From(name => values.GetValueOrDefault(name))).Message);
        values[AzureHostSettings.GraphFolderSetting] = "/home/data/graph";
        Assert.Equal("/home/data/graph", AzureHostSettings.From(name => values.GetValueOrDefault(name)).GraphFolder);
        values[AzureHostSettings.GraphSetting] = "cosmos";
        Assert.Contains("neo4j (the default) or sqlite", Assert.Throws<InvalidOperationException>(() => AzureHostSettings.From(name => values.GetValueOrDefault(name))).Message);
    }

    [Fact]
    public void Already_exists_is_recognised_whatever_way_Durable_reports_it()
    {
        Assert.True(PipelineRunStarter.IsAlreadyExists(new OrchestrationAlreadyExistsException("x")));
        Assert.True(PipelineRunStarter.IsAlreadyExists(new InvalidOperationException("An Orchestration instance with the status Running already exists.")));
        Assert.True(PipelineRunStarter.IsAlreadyExists(new Exception("outer", new RpcException(new Status(StatusCode.AlreadyExists, "exists")))));
        Assert.False(PipelineRunStarter.IsAlreadyExists(new RpcException(new Status(StatusCode.Unavailable, "down"))));
        Assert.False(PipelineRunStarter.IsAlreadyExists(new TimeoutException("timed out")));
        Assert.False(PipelineRunStarter.IsAlreadyExists(null));
    }

    [Fact]
    public async Task Services_open_inputs_only_under_the_inputs_root_and_load_the_shipped_configs()
    {
        var root = Directory.CreateTempSubdirectory("pa-azurehost-");
        try
        {
            Directory.CreateDirectory(Path.Combine(root.FullName, "inputs", "vet_lva"));
            await File.WriteAllTextAsync(Path.Combine(root.FullName, "inputs", "vet_lva", "sessions.csv"), "session_id\n1\n");
            var settings = new AzureHostSettings(Path.Combine(root.FullName, "artifacts"), Path.Combine(root.FullName, "inputs"), null, []);
            var secrets = new PipelineSecretResolver([new AppSettingsSecretSource(_ => null)]);
            var services = new AzurePipelineServices(settings, new NoGraphs(), secrets, NullLoggerFactory.Instance, TimeProvider.System, AzureHostPaths.RepositoryRoot);

            var inputs = services.OpenInput("vet_lva");
            var files = new List<string>();
            await foreach (var file in inputs.ListAsync("")) files.Add(file.Path.Value);
            Assert.Equal(["sessions.csv"], files);
            Assert.Equal("input", Assert.Throws<PipelineInputException>(() => services.OpenInput("../artifacts")).Field);

            Assert.Equal("vet_lva", services.LoadConfig("vet_lva", null).Event.Name);
            Assert.IsType<SecretBackedSessionEmbedderProvider>(services.Embedders);
        }
        finally
        {
            root.Delete(recursive: true);
        }
    }

    private sealed class NoGraphs : IAgendaGraphFactory
    {
        public Task<IAgendaGraph> OpenAsync(GraphIdentity identity, CancellationToken cancellationToken = default) => throw new NotSupportedException();
    }
}
