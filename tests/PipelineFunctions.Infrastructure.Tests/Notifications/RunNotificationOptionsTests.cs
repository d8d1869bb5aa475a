using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;
using PipelineFunctions.Infrastructure.Notifications;

namespace PipelineFunctions.Infrastructure.Tests.Notifications;

/// <summary>The notification settings as the hosts bind them: defaults, and one message per bad setting that never shows the URL.</summary>
public sealed class RunNotificationOptionsTests
{
    /// <summary>Bound and validated as the hosts' options pattern does it.</summary>
    private static RunNotificationOptions Bind(Dictionary<string, string?> settings)
    {
        var options = new ConfigurationBuilder().AddInMemoryCollection(settings).Build().Get<RunNotificationOptions>() ?? new();
        var result = new RunNotificationOptionsValidator().Validate(Options.DefaultName, options);
        if (result.Failed) throw new OptionsValidationException(Options.DefaultName, typeof(RunNotificationOptions), result.Failures);
        return options;
    }

    [Fact]
    public void Unset_settings_mean_no_webhook_and_the_documented_defaults()
    {
        var options = Bind([]);

        Assert.Null(options.Webhook);
        Assert.Equal((4, TimeSpan.FromSeconds(10), TimeSpan.FromSeconds(60), TimeSpan.FromSeconds(2)),
            (options.Attempts, options.AttemptTimeout, options.Timeout, options.RetryDelay));
        // An app deployed without the Key Vault secret keeps the unresolved reference: no webhook, not a bad one.
        Assert.Null(Bind(new() { ["NOTIFY_WEBHOOK_URL"] = "@Microsoft.KeyVault(VaultName=kv;SecretName=notify-webhook-url)" }).Webhook);
    }

    [Fact]
    public void Settings_bind_under_their_variable_names()
    {
        var options = Bind(new()
        {
            ["NOTIFY_WEBHOOK_URL"] = " https://hooks.slack.com/services/T1/B2/xyz ", ["NOTIFY_ATTEMPTS"] = "2",
            ["NOTIFY_ATTEMPT_TIMEOUT_SECONDS"] = "2.5", ["NOTIFY_TIMEOUT_SECONDS"] = "30", ["NOTIFY_RETRY_DELAY_SECONDS"] = "0",
        });

        Assert.Equal("https://hooks.slack.com/services/T1/B2/xyz", options.Webhook);
        Assert.Equal((2, TimeSpan.FromSeconds(2.5), TimeSpan.FromSeconds(30), TimeSpan.Zero),
            (options.Attempts, options.AttemptTimeout, options.Timeout, options.RetryDelay));
    }

    [Theory]
    [InlineData("NOTIFY_WEBHOOK_URL", "http://hooks.example.com/services/SECRET-TOKEN",
        "NOTIFY_WEBHOOK_URL is not an https URL (a Slack or Teams incoming-webhook URL; http only to a loopback address); "
        + "its value is not shown, as it is a secret")]
    [InlineData("NOTIFY_WEBHOOK_URL", "hooks.slack.com/services/SECRET-TOKEN", "NOTIFY_WEBHOOK_URL is not an https URL")]
    [InlineData("NOTIFY_ATTEMPTS", "0", "NOTIFY_ATTEMPTS: '0' is not a whole number from 1 to 10")]
    [InlineData("NOTIFY_ATTEMPTS", "three", "NOTIFY_ATTEMPTS: 'three' is not a whole number from 1 to 10")]
    [InlineData("NOTIFY_ATTEMPT_TIMEOUT_SECONDS", "0", "NOTIFY_ATTEMPT_TIMEOUT_SECONDS: '0' is not a number of seconds from 0.05 to 600")]
    [InlineData("NOTIFY_TIMEOUT_SECONDS", "5", "NOTIFY_TIMEOUT_SECONDS: 5 s is less than one attempt's NOTIFY_ATTEMPT_TIMEOUT_SECONDS (10 s)")]
    [InlineData("NOTIFY_RETRY_DELAY_SECONDS", "-1", "NOTIFY_RETRY_DELAY_SECONDS: '-1' is not a number of seconds from 0 to 600")]
    public void A_bad_setting_is_refused_with_one_message_naming_it_and_never_the_url(string setting, string value, string message)
    {
        var failure = Assert.Throws<OptionsValidationException>(() => Bind(new() { [setting] = value }));

        Assert.StartsWith(message, Assert.Single(failure.Failures));
        Assert.DoesNotContain("SECRET-TOKEN", failure.Message);
    }
}
