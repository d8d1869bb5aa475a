using Microsoft.Extensions.Options;

namespace PipelineFunctions.LocalEngine;

/// <summary>Refuses a local engine setting that cannot be used, with one message naming the variable and its value.</summary>
internal sealed class LocalEngineOptionsValidator : IValidateOptions<LocalEngineOptions>
{
    public ValidateOptionsResult Validate(string? name, LocalEngineOptions options)
    {
        var failures = new List<string>();
        if (string.IsNullOrWhiteSpace(options.RunStore))
            failures.Add($"{LocalEngineOptions.RunStoreVariable} is empty: name the run store file, "
                + $"or unset it for {LocalEngineOptions.DefaultRunStore}");
        if (!LocalEngineOptions.TryParseLease(options.LeaseSeconds, out _))
            failures.Add($"{LocalEngineOptions.LeaseVariable}: '{options.LeaseSeconds}' is not a whole number of seconds above 0");
        if (!LocalEngineOptions.TryParseCount(options.ParallelActivitiesText, out _))
            failures.Add($"{LocalEngineOptions.ParallelActivitiesVariable}: '{options.ParallelActivitiesText}' is not a whole number above 0");
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
