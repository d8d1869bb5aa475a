using PipelineFunctions.Core.Events;

namespace PipelineFunctions.ShowGenerator;

/// <summary>The config's job-role inference (first matching keyword rule wins), used to plant recoverable missing job roles.</summary>
internal static class JobRoleKeywords
{
    public static string? Infer(IReadOnlyList<JobRoleInferenceRule> rules, string jobTitle)
    {
        var title = jobTitle.ToLowerInvariant();
        foreach (var rule in rules)
            if (rule.Keywords.Any(k => title.Contains(k.ToLowerInvariant(), StringComparison.Ordinal))) return rule.Role;
        return null;
    }
}
