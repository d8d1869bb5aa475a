using System.Globalization;
using Microsoft.Extensions.Configuration;
using PipelineFunctions.Infrastructure.Secrets;

namespace PipelineFunctions.Infrastructure.Notifications;

/// <summary>
/// Run notifications as both hosts bind them from configuration, under their environment variable / app setting names.
/// The webhook URL is a secret (whoever has it can post to the channel): locally an environment variable, in Azure the
/// Key Vault secret <c>notify-webhook-url</c> (through a Key Vault reference app setting, or read from the vault). No URL:
/// no notifications, silently. The numbers are kept as text so a bad one is reported with its setting's name, not as a
/// binder failure; checked by <see cref="RunNotificationOptionsValidator"/>.
/// </summary>
public sealed class RunNotificationOptions
{
    public const string WebhookUrlSetting = "NOTIFY_WEBHOOK_URL", AttemptsSetting = "NOTIFY_ATTEMPTS",
        AttemptTimeoutSetting = "NOTIFY_ATTEMPT_TIMEOUT_SECONDS", TimeoutSetting = "NOTIFY_TIMEOUT_SECONDS",
        RetryDelaySetting = "NOTIFY_RETRY_DELAY_SECONDS";

    public const int DefaultAttempts = 4, MaxAttempts = 10;
    public const double DefaultAttemptTimeoutSeconds = 10, DefaultTimeoutSeconds = 60, DefaultRetryDelaySeconds = 2, MaxSeconds = 600;

    /// <summary>A Slack or Teams incoming-webhook URL: https, or http on loopback (a local relay, tests). Never shown.</summary>
    [ConfigurationKeyName(WebhookUrlSetting)]
    public string? WebhookUrl { get; set; }

    /// <summary>Attempts per message, the first included.</summary>
    [ConfigurationKeyName(AttemptsSetting)]
    public string? AttemptsText { get; set; }

    /// <summary>Seconds one attempt may take before it counts as failed (and is retried).</summary>
    [ConfigurationKeyName(AttemptTimeoutSetting)]
    public string? AttemptTimeoutText { get; set; }

    /// <summary>Seconds all attempts of one message may take together, the waits between them included.</summary>
    [ConfigurationKeyName(TimeoutSetting)]
    public string? TimeoutText { get; set; }

    /// <summary>Seconds before the first retry; each later one waits about twice as long (with jitter).</summary>
    [ConfigurationKeyName(RetryDelaySetting)]
    public string? RetryDelayText { get; set; }

    /// <summary>The URL as configured, or null when blank or an unresolved Key Vault reference (no notifications).</summary>
    public string? Webhook => Configured(WebhookUrl);

    public int Attempts => TryParseCount(AttemptsText, out var count) ? count : DefaultAttempts;

    public TimeSpan AttemptTimeout => TryParseSeconds(AttemptTimeoutText, DefaultAttemptTimeoutSeconds, minimum: 0.05, out var s) ? s : default;

    public TimeSpan Timeout => TryParseSeconds(TimeoutText, DefaultTimeoutSeconds, minimum: 0.05, out var s) ? s : default;

    public TimeSpan RetryDelay => TryParseSeconds(RetryDelayText, DefaultRetryDelaySeconds, minimum: 0, out var s) ? s : default;

    /// <summary>
    /// A usable webhook value, or null: blank, or a Key Vault reference the platform could not resolve (it then still
    /// reads "@Microsoft.KeyVault(…)"), which is what an app deployed without the secret has.
    /// </summary>
    public static string? Configured(string? value) =>
        string.IsNullOrWhiteSpace(value)
        || value.TrimStart().StartsWith(AppSettingsSecretSource.UnresolvedReferencePrefix, StringComparison.OrdinalIgnoreCase)
            ? null
            : value.Trim();

    /// <summary>An absolute https URL, or http to a loopback address; false for anything else.</summary>
    public static bool TryParseWebhook(string value, out Uri uri) =>
        Uri.TryCreate(value.Trim(), UriKind.Absolute, out uri!) && !string.IsNullOrEmpty(uri.Host)
        && (uri.Scheme == Uri.UriSchemeHttps || uri.Scheme == Uri.UriSchemeHttp && uri.IsLoopback);

    internal static bool TryParseCount(string? text, out int count)
    {
        count = DefaultAttempts;
        if (string.IsNullOrWhiteSpace(text)) return true;
        return int.TryParse(text.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out count) && count is >= 1 and <= MaxAttempts;
    }

    internal static bool TryParseSeconds(string? text, double defaultSeconds, double minimum, out TimeSpan value)
    {
        value = TimeSpan.FromSeconds(defaultSeconds);
        if (string.IsNullOrWhiteSpace(text)) return true;
        if (!double.TryParse(text.Trim(), NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var seconds)
            || seconds < minimum || seconds > MaxSeconds) return false;
        value = TimeSpan.FromSeconds(seconds);
        return true;
    }
}
