using System.Globalization;
using Microsoft.Extensions.Options;

namespace PipelineFunctions.Infrastructure.Notifications;

/// <summary>
/// Refuses run-notification settings that cannot be used, one message per bad setting naming it: the numbers with
/// their value, the webhook URL never (it is a secret).
/// </summary>
public sealed class RunNotificationOptionsValidator : IValidateOptions<RunNotificationOptions>
{
    public ValidateOptionsResult Validate(string? name, RunNotificationOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = new List<string>();
        if (options.Webhook is { } webhook && !RunNotificationOptions.TryParseWebhook(webhook, out _))
            failures.Add($"{RunNotificationOptions.WebhookUrlSetting} is not an https URL (a Slack or Teams incoming-webhook URL; "
                + "http only to a loopback address); its value is not shown, as it is a secret");
        if (!RunNotificationOptions.TryParseCount(options.AttemptsText, out _))
            failures.Add($"{RunNotificationOptions.AttemptsSetting}: '{options.AttemptsText}' is not a whole number "
                + $"from 1 to {RunNotificationOptions.MaxAttempts}");
        var max = RunNotificationOptions.MaxSeconds.ToString(CultureInfo.InvariantCulture);
        var attemptTimeoutValid = RunNotificationOptions.TryParseSeconds(options.AttemptTimeoutText, 0, 0.05, out _);
        if (!attemptTimeoutValid)
            failures.Add($"{RunNotificationOptions.AttemptTimeoutSetting}: '{options.AttemptTimeoutText}' "
                + $"is not a number of seconds from 0.05 to {max}");
        if (!RunNotificationOptions.TryParseSeconds(options.TimeoutText, 0, 0.05, out _))
            failures.Add($"{RunNotificationOptions.TimeoutSetting}: '{options.TimeoutText}' is not a number of seconds from 0.05 to {max}");
        else if (attemptTimeoutValid && options.Timeout < options.AttemptTimeout)
            failures.Add($"{RunNotificationOptions.TimeoutSetting}: {options.Timeout.TotalSeconds.ToString(CultureInfo.InvariantCulture)} s "
                + $"is less than one attempt's {RunNotificationOptions.AttemptTimeoutSetting} "
                + $"({options.AttemptTimeout.TotalSeconds.ToString(CultureInfo.InvariantCulture)} s)");
        if (!RunNotificationOptions.TryParseSeconds(options.RetryDelayText, 0, 0, out _))
            failures.Add($"{RunNotificationOptions.RetryDelaySetting}: '{options.RetryDelayText}' is not a number of seconds from 0 to {max}");
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
