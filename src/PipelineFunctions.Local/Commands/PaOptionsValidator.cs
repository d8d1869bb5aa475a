using Microsoft.Extensions.Options;
using PipelineFunctions.LocalServer;

namespace PipelineFunctions.Local.Commands;

/// <summary>Refuses a `pa` host setting that cannot be used, with one message naming the variable and its value.</summary>
internal sealed class PaOptionsValidator : IValidateOptions<PaOptions>
{
    public ValidateOptionsResult Validate(string? name, PaOptions options) =>
        PaOptions.TryParseShutdownGrace(options.ShutdownGraceText, out _)
            ? ValidateOptionsResult.Success
            : ValidateOptionsResult.Fail($"{PaOptions.ShutdownGraceVariable}: '{options.ShutdownGraceText}' is not a whole number of seconds "
                + $"from 0 to {ServeSettings.MaxShutdownGraceSeconds}");
}
