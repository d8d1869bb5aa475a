using DurableTask.Core.Exceptions;
using Grpc.Core;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using PipelineFunctions.AzureHost.Tests.Support;
using PipelineFunctions.Core;
using PipelineFunctions.Core.Graph;
using PipelineFunctions.Core.Orchestration;
using PipelineFunctions.Core.Orchestration.Notifications;
using PipelineFunctions.Hosting;
using PipelineFunctions.Infrastructure.Graph;
using PipelineFunctions.Infrastructure.Notifications;
using PipelineFunctions.Infrastructure.Secrets;
using PipelineFunctions.Infrastructure.Tests.Notifications;

namespace PipelineFunctions.AzureHost.Tests;

/// <summary>The Azure host's settings, services and run-start rules.</summary>
public sealed class HostingTests
{
    private static AzureHostOptions Settings(string inputs = "https://acct.blob.core.windows.net/inputs") =>
        new() { ArtifactsLocation = "https://acct.blob.core.windows.net/artifacts", InputsLocation = inputs };

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
            [AzureHostOptions.ArtifactsSetting] = "https://acct.blob.core.windows.net/artifacts",
            [AzureHostOptions.InputsSetting] = "https://acct.blob.core.windows.net/inputs",
            [AzureHostOptions.KeyVaultSetting] = "https://kv-test.vault.azure.net/",
            [AzureHostOptions.WeeklyEventsSetting] = " vet_lva , ecomm=ecomm/current ",
        };
        var settings = AppSettings.Bind(values);
        Assert.Equal(new Uri("https://kv-test.vault.azure.net/"), settings.KeyVaultUri);
        Assert.Equal([new WeeklyEvent("vet_lva", "vet_lva"), new WeeklyEvent("ecomm", "ecomm/current")], settings.WeeklyEvents);

        values[AzureHostOptions.KeyVaultSetting] = "";
        Assert.Null(AppSettings.Bind(values).KeyVaultUri);

        values[AzureHostOptions.InputsSetting] = null;
        Assert.Contains(AzureHostOptions.InputsSetting, Assert.Throws<OptionsValidationException>(() => AppSettings.Bind(values)).Message);

        Assert.Contains("listed twice",
            Assert.Throws<InvalidOperationException>(() => AzureHostOptions.ParseWeeklyEvents("vet_lva,vet_lva")).Message);
        Assert.Contains("'..' segment", Assert.Throws<InvalidOperationException>(() => AzureHostOptions.ParseWeeklyEvents("vet_lva=../x")).Message);
        Assert.Empty(AzureHostOptions.ParseWeeklyEvents(null));

        // The graph: Neo4j unless told sqlite, which needs its folder.
        Assert.True(settings.UsesNeo4j);
        values[AzureHostOptions.InputsSetting] = "https://acct.blob.core.windows.net/inputs";
        values[AzureHostOptions.GraphSetting] = "SQLite";
        Assert.Contains(AzureHostOptions.GraphFolderSetting, Assert.Throws<OptionsValidationException>(() => AppSettings.Bind(values)).Message);
        values[AzureHostOptions.GraphFolderSetting] = "/home/data/graph";
        Assert.Equal("/home/data/graph", AppSettings.Bind(values).GraphFolder);
        values[AzureHostOptions.GraphSetting] = "cosmos";
        Assert.Contains("neo4j (the default) or sqlite", Assert.Throws<OptionsValidationException>(() => AppSettings.Bind(values)).Message);
    }

    private const string Artifacts = "https://acct.blob.core.windows.net/artifacts", Inputs = "https://acct.blob.core.windows.net/inputs";

    [Theory]
    [InlineData(AzureHostOptions.GraphSetting, "nosuch", "App setting PIPELINE_GRAPH=nosuch must be neo4j (the default) or sqlite")]
    [InlineData(AzureHostOptions.GraphSetting, "sqlite",
        "App setting PIPELINE_GRAPH_FOLDER is required with PIPELINE_GRAPH=sqlite (see docs/azure.md)")]
    [InlineData(AzureHostOptions.ArtifactsSetting, " ", "App setting PIPELINE_ARTIFACTS is required (see docs/azure.md)")]
    [InlineData(AzureHostOptions.InputsSetting, null, "App setting PIPELINE_INPUTS is required (see docs/azure.md)")]
    [InlineData(AzureHostOptions.KeyVaultSetting, "http://kv-test.vault.azure.net/",
        "App setting KEY_VAULT_URI=http://kv-test.vault.azure.net/ must be the vault's https URI, e.g. https://<name>.vault.azure.net/")]
    [InlineData(AzureHostOptions.WeeklyEventsSetting, "vet_lva,vet_lva", "App setting WEEKLY_RETRAIN_EVENTS: event 'vet_lva' is listed twice")]
    [InlineData(AzureHostOptions.ScheduleSetting, "0 4 * * 0",
        "App setting WEEKLY_RETRAIN_SCHEDULE: '0 4 * * 0' is not an NCRONTAB expression with six fields "
        + "({second} {minute} {hour} {day} {month} {day-of-week}, e.g. \"0 0 4 * * 0\")")]
    [InlineData(RunNotificationOptions.AttemptsSetting, "0", "NOTIFY_ATTEMPTS: '0' is not a whole number from 1 to 10")]
    public async Task A_bad_setting_stops_the_host_at_start_with_one_message_naming_it(string setting, string? value, string message)
    {
        var values = new Dictionary<string, string?>
        {
            [AzureHostOptions.ArtifactsSetting] = Artifacts,
            [AzureHostOptions.InputsSetting] = Inputs,
            [setting] = value,
        };
        using var host = BuildHost(values);

        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync());

        Assert.Equal(message, error.Message);
    }

    [Fact]
    public async Task Good_settings_bind_under_their_app_setting_names_trimmed_and_blank_meaning_the_default()
    {
        var values = new Dictionary<string, string?>
        {
            [AzureHostOptions.ArtifactsSetting] = $" {Artifacts} ",
            [AzureHostOptions.InputsSetting] = Inputs,
            [AzureHostOptions.KeyVaultSetting] = "https://kv-test.vault.azure.net/",
            [AzureHostOptions.WeeklyEventsSetting] = "vet_lva, ecomm=ecomm/current",
            [AzureHostOptions.GraphSetting] = " SQLite ",
            [AzureHostOptions.GraphFolderSetting] = "/home/data/graph",
        };
        using var host = BuildHost(values);
        await host.StartAsync();

        var options = host.Services.GetRequiredService<IOptions<AzureHostOptions>>().Value;
        Assert.Equal((Artifacts, Inputs), (options.ArtifactsLocation, options.InputsLocation));
        Assert.Equal(new Uri("https://kv-test.vault.azure.net/"), options.KeyVaultUri);
        Assert.Equal([new WeeklyEvent("vet_lva", "vet_lva"), new WeeklyEvent("ecomm", "ecomm/current")], options.WeeklyEvents);
        Assert.Equal((false, true, "/home/data/graph"), (options.UsesNeo4j, options.UsesSqlite, options.GraphFolder));
        Assert.IsType<SqliteAgendaGraphFactory>(host.Services.GetRequiredService<IAgendaGraphFactory>());
        await host.StopAsync();

        values[AzureHostOptions.KeyVaultSetting] = values[AzureHostOptions.GraphSetting] = values[AzureHostOptions.WeeklyEventsSetting] = "  ";
        var defaults = AppSettings.Bind(values);
        Assert.Equal((null, true, false), (defaults.KeyVaultUri, defaults.UsesNeo4j, defaults.UsesSqlite));
        Assert.Empty(defaults.WeeklyEvents);
    }

    [Fact]
    public async Task The_run_notifier_posts_to_the_webhook_of_the_app_setting_and_is_silent_without_one()
    {
        await using var webhook = new FakeWebhookServer();
        var values = new Dictionary<string, string?>
        {
            [AzureHostOptions.ArtifactsSetting] = Artifacts,
            [AzureHostOptions.InputsSetting] = Inputs,
            // As Bicep sets it: a Key Vault reference the platform resolved to the secret's value.
            [RunNotificationOptions.WebhookUrlSetting] = webhook.Url.ToString(),
            [RunNotificationOptions.AttemptsSetting] = "2",
        };
        var message = new RunNotification(RunNotification.RunEnded, "run-1", "vet_lva", "Personal Agendas run completed");
        using (var host = BuildHost(values))
        {
            await host.StartAsync();
            var notifier = host.Services.GetRequiredService<IPipelineServices>().Notifier;

            Assert.IsType<WebhookRunNotifier>(notifier);
            Assert.True(await notifier.SendAsync(message));
            Assert.Contains("Personal Agendas run completed", Assert.Single(webhook.Requests).Body);
            Assert.Equal(2, host.Services.GetRequiredService<IOptions<RunNotificationOptions>>().Value.Attempts);
            await host.StopAsync();
        }

        // Deployed without the secret: the reference stays unresolved and there is no vault to ask (KEY_VAULT_URI unset).
        values[RunNotificationOptions.WebhookUrlSetting] = "@Microsoft.KeyVault(VaultName=kv-test;SecretName=notify-webhook-url)";
        using (var host = BuildHost(values))
        {
            await host.StartAsync();
            Assert.False(await host.Services.GetRequiredService<IPipelineServices>().Notifier.SendAsync(message));
            await host.StopAsync();
        }
        Assert.Single(webhook.Requests);
    }

    /// <summary>A generic host with the app's composition root over the given app settings, as Program.cs builds it.</summary>
    private static IHost BuildHost(IReadOnlyDictionary<string, string?> values)
    {
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Configuration.AddInMemoryCollection(values);
        builder.Services.AddPipelineFunctions(builder.Configuration);
        return builder.Build();
    }

    [Fact]
    public void Already_exists_is_recognised_whatever_way_Durable_reports_it()
    {
        Assert.True(PipelineRunStarter.IsAlreadyExists(new OrchestrationAlreadyExistsException("x")));
        Assert.True(PipelineRunStarter.IsAlreadyExists(new InvalidOperationException(
            "An Orchestration instance with the status Running already exists.")));
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
            var settings = new AzureHostOptions
            {
                ArtifactsLocation = Path.Combine(root.FullName, "artifacts"), InputsLocation = Path.Combine(root.FullName, "inputs"),
            };
            var secrets = new PipelineSecretResolver([new AppSettingsSecretSource(_ => null)]);
            var services = new AzurePipelineServices(settings, new NoGraphs(), secrets, NullLoggerFactory.Instance, TimeProvider.System,
                AzureHostPaths.RepositoryRoot);

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
        public Task<IAgendaGraph> OpenAsync(GraphIdentity identity, CancellationToken cancellationToken = default)
            => throw new NotSupportedException();
    }
}
