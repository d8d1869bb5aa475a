using System.Text.Json;
using PipelineFunctions.AzureHost.Tests.Support;
using PipelineFunctions.Hosting;
using PipelineFunctions.Infrastructure.Secrets;

namespace PipelineFunctions.AzureHost.Tests;

/// <summary>host.json, local.settings.sample.json and azure.yaml say what the host and its docs rely on.</summary>
public sealed class TopLevelFilesTests
{
    private static JsonElement Json(string file) => JsonDocument.Parse(File.ReadAllText(Path.Combine(AzureHostPaths.RepositoryRoot,
        file))).RootElement;

    [Fact]
    public void Host_json_configures_Durable_on_Azure_Storage_with_the_hub_from_an_app_setting()
    {
        var durable = Json("host.json").GetProperty("extensions").GetProperty("durableTask");
        Assert.Equal("%DURABLE_TASK_HUB_NAME%", durable.GetProperty("hubName").GetString());
        Assert.Equal("azureStorage", durable.GetProperty("storageProvider").GetProperty("type").GetString());
        Assert.True(durable.GetProperty("maxConcurrentActivityFunctions").GetInt32() > 0);
        Assert.True(durable.GetProperty("maxConcurrentOrchestratorFunctions").GetInt32() > 0);
        Assert.True(durable.GetProperty("extendedSessionsEnabled").GetBoolean());
        Assert.Equal("2.0", Json("host.json").GetProperty("version").GetString());
    }

    [Fact]
    public void The_local_settings_sample_names_every_setting_and_holds_no_secret()
    {
        var values = Json("local.settings.sample.json").GetProperty("Values");
        Assert.Equal("UseDevelopmentStorage=true", values.GetProperty("AzureWebJobsStorage").GetString());
        Assert.Equal("dotnet-isolated", values.GetProperty("FUNCTIONS_WORKER_RUNTIME").GetString());
        Assert.Equal("0 0 4 * * 0", values.GetProperty(AzureHostOptions.ScheduleSetting).GetString());
        foreach (var setting in new[] { "DURABLE_TASK_HUB_NAME", AzureHostOptions.ArtifactsSetting, AzureHostOptions.InputsSetting,
            AzureHostOptions.KeyVaultSetting, AzureHostOptions.GraphSetting,
                     AzureHostOptions.WeeklyEventsSetting })
            Assert.True(values.TryGetProperty(setting, out _), $"{setting} is missing");
        foreach (var secret in new[] { PipelineSecretNames.Neo4jPassword, PipelineSecretNames.AzureApiKey })
            Assert.Equal("", values.GetProperty(PipelineSecretNames.SettingName(secret)).GetString());
        Assert.DoesNotContain("AccountKey=", values.GetRawText(), StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("sig=", values.GetRawText(), StringComparison.OrdinalIgnoreCase);

        var settings = AppSettings.Bind(values.EnumerateObject().ToDictionary(v => v.Name, v => v.Value.GetString()));
        Assert.NotEmpty(settings.WeeklyEvents);
    }

    [Fact]
    public void Azure_yaml_deploys_the_function_project()
    {
        var yaml = File.ReadAllText(Path.Combine(AzureHostPaths.RepositoryRoot, "azure.yaml"));
        Assert.Contains("project: ./src/PipelineFunctions", yaml);
        Assert.Contains("language: dotnet", yaml);
        Assert.Contains("host: function", yaml);
        Assert.True(File.Exists(Path.Combine(AzureHostPaths.ProjectFolder, "PipelineFunctions.csproj")));
    }
}
