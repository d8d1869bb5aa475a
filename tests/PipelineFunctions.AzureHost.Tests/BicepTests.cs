using System.Diagnostics;
using System.Reflection;
using System.Text.Json.Nodes;
using PipelineFunctions.AzureHost.Tests.Support;
using PipelineFunctions.Infrastructure.Notifications;
using PipelineFunctions.Infrastructure.Secrets;

namespace PipelineFunctions.AzureHost.Tests;

/// <summary>
/// infra/main.bicep compiles and lints with no error and no warning, with the Bicep CLI from the
/// Azure.Bicep.CommandLine.linux-x64 package this project restores (no registry modules, so no network).
/// </summary>
public sealed class BicepTests
{
    private static string Bicep()
    {
        var root = typeof(BicepTests).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
            .SingleOrDefault(a => a.Key == "BicepPackageRoot")?.Value;
        if (string.IsNullOrEmpty(root))
            root = Path.Combine(Environment.GetEnvironmentVariable("NUGET_PACKAGES")
                ?? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages"),
                "azure.bicep.commandline.linux-x64", "0.49.2");
        var bicep = Path.Combine(root, "tools", "bicep");
        Assert.True(File.Exists(bicep), $"the Bicep CLI is not at {bicep}: restore this project (it downloads Azure.Bicep.CommandLine.linux-x64)");
        if (!OperatingSystem.IsWindows() && (File.GetUnixFileMode(bicep) & UnixFileMode.UserExecute) == 0)
            File.SetUnixFileMode(bicep, File.GetUnixFileMode(bicep) | UnixFileMode.UserExecute);
        return bicep;
    }

    private static (int ExitCode, string Output) Run(params string[] arguments)
    {
        var start = new ProcessStartInfo(Bicep())
        {
            RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = AzureHostPaths.RepositoryRoot,
        };
        foreach (var argument in arguments) start.ArgumentList.Add(argument);
        // No telemetry and no update checks: the CLI must not reach out.
        start.Environment["BICEP_TELEMETRY_ENABLED"] = "false";
        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        Assert.True(process.WaitForExit(TimeSpan.FromMinutes(3)), "bicep did not finish within 3 minutes");
        return (process.ExitCode, stderr.Result + stdout.Result);
    }

    [Fact]
    public void Main_bicep_builds_with_no_error_or_warning()
    {
        var output = Path.Combine(Path.GetTempPath(), $"pa-main-{Guid.NewGuid():N}.json");
        try
        {
            var (exitCode, log) = Run("build", Path.Combine("infra", "main.bicep"), "--outfile", output);
            Assert.True(exitCode == 0, log);
            Assert.DoesNotContain("Warning", log, StringComparison.OrdinalIgnoreCase);
            Assert.DoesNotContain("Error", log, StringComparison.OrdinalIgnoreCase);
            var template = File.ReadAllText(output);
            Assert.Contains("Microsoft.Web/sites", template);
            Assert.Contains("FlexConsumption", template);
            Assert.Contains("Microsoft.Insights/workbooks", template);
            Assert.Contains("Microsoft.Insights/scheduledQueryRules", template);
            Assert.Contains("Microsoft.Insights/actionGroups", template);
        }
        finally
        {
            File.Delete(output);
        }
    }

    [Fact]
    public void Every_secret_app_setting_is_a_Key_Vault_reference_to_the_secret_the_app_reads_for_it_the_webhook_included()
    {
        var output = Path.Combine(Path.GetTempPath(), $"pa-main-{Guid.NewGuid():N}.json");
        try
        {
            var (exitCode, log) = Run("build", Path.Combine("infra", "main.bicep"), "--outfile", output);
            Assert.True(exitCode == 0, log);
            var secretSettings = Find(JsonNode.Parse(File.ReadAllText(output))!, "secretSettings")!.AsObject()
                .ToDictionary(p => p.Key, p => p.Value!.GetValue<string>());

            // The app reads a secret from the app setting named after it (PipelineSecretNames.SettingName), then from the vault.
            Assert.All(secretSettings, s => Assert.Equal(s.Key, PipelineSecretNames.SettingName(s.Value)));
            Assert.Equal(PipelineSecretNames.NotifyWebhookUrl, secretSettings[RunNotificationOptions.WebhookUrlSetting]);
            // No value is committed: the webhook secret is set with az keyvault secret set, not in the template.
            Assert.DoesNotContain("hooks.", File.ReadAllText(output), StringComparison.OrdinalIgnoreCase);
        }
        finally
        {
            File.Delete(output);
        }
    }

    /// <summary>The first property of that name anywhere in the template (a module's variables sit in a nested template).</summary>
    private static JsonNode? Find(JsonNode node, string name) => node switch
    {
        JsonObject o => o.TryGetPropertyValue(name, out var found) ? found : o.Select(p => p.Value is null ? null : Find(p.Value, name))
            .FirstOrDefault(n => n is not null),
        JsonArray a => a.Select(n => n is null ? null : Find(n, name)).FirstOrDefault(n => n is not null),
        _ => null,
    };

    [Fact]
    public void Main_bicep_lints_clean()
    {
        var (exitCode, log) = Run("lint", Path.Combine("infra", "main.bicep"));
        Assert.True(exitCode == 0, log);
        Assert.True(log.Trim().Length == 0, log);
    }

    [Fact]
    public void The_infrastructure_uses_no_registry_modules()
    {
        foreach (var file in Directory.EnumerateFiles(Path.Combine(AzureHostPaths.RepositoryRoot, "infra"), "*.bicep", SearchOption.AllDirectories))
            Assert.DoesNotContain("'br/", File.ReadAllText(file));
    }
}
