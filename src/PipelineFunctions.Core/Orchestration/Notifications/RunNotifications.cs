using System.Globalization;

namespace PipelineFunctions.Core.Orchestration.Notifications;

/// <summary>
/// The messages a finished run sends: always one saying how it ended, and one more when its retraining promoted a new
/// ranker model. Plain text with line breaks, which Slack and Teams incoming webhooks both show as written.
/// </summary>
public static class RunNotifications
{
    /// <summary>An error longer than this is cut: a chat message is read, not searched (the run summary has all of it).</summary>
    public const int ErrorCharacters = 600;

    public static IReadOnlyList<RunNotification> For(RunSummary summary)
    {
        ArgumentNullException.ThrowIfNull(summary);
        var messages = new List<RunNotification> { new(RunNotification.RunEnded, summary.RunId, summary.Event, RunEndedText(summary)) };
        if (summary.Retraining is { Promoted: true } retraining)
            messages.Add(new(RunNotification.ModelPromoted, summary.RunId, summary.Event, PromotionText(summary, retraining)));
        return messages;
    }

    /// <summary>Whether a message shows this count of a step: what the orchestration keeps of a summary for the activity.</summary>
    public static bool IsShown(string metric) => metric.StartsWith("visitors", StringComparison.Ordinal) || metric == "recommendations";

    private static string RunEndedText(RunSummary summary)
    {
        var failed = summary.Status == StepStatuses.Failed;
        var lines = new List<string>
        {
            $"Personal Agendas run {(failed ? "FAILED" : "completed")}: event {summary.Event}, run {summary.RunId}",
            $"Status: {(failed ? "Failed" : "Completed")} in {Duration(summary.FinishedAt - summary.StartedAt)}",
        };
        if (summary.Steps.Count > 0)
            lines.Add("Steps: " + string.Join(", ",
                summary.Steps.Select(s => $"{s.Step} {s.Status}{(s.Attempts > 1 ? $" ({s.Attempts} attempts)" : "")}")));
        if (failed)
            lines.Add("Error: " + RunStatusLimits.Cut(summary.Error ?? "(no message)", ErrorCharacters));
        else if (Headline(summary) is { Length: > 0 } headline)
            lines.Add("Recommendations: " + headline);
        if (summary.Retraining is { Promoted: false } kept)
            lines.Add($"Ranker: model kept ({kept.Reason})");
        if (summary.Retraining?.Degradation is { } degradation)
            lines.Add($"Ranker: {degradation}");
        return string.Join('\n', lines);
    }

    private static string PromotionText(RunSummary summary, RetrainingOutcome retraining)
    {
        var score = Score(retraining.CandidateNdcgAt10);
        var against = retraining.CurrentNdcgAt10 is { } current
            ? $"against {Score(current)} for the previous model{(retraining.Current is { Length: > 0 } previous ? $" {previous}" : "")}"
              + $" ({(retraining.CandidateNdcgAt10 - current).ToString("+0.0000;-0.0000", CultureInfo.InvariantCulture)})"
            : "with no previous model to compare against";
        return string.Join('\n',
            $"Personal Agendas ranker model promoted: event {summary.Event}, run {summary.RunId}",
            $"Model {retraining.Candidate}: NDCG@10 {score} {against}",
            $"Reason: {retraining.Reason}");
    }

    /// <summary>The counts `pa run` prints for step 4: its visitors and recommendations.</summary>
    private static string Headline(RunSummary summary) =>
        summary.Steps.FirstOrDefault(s => s.Step == PipelineSteps.Recommendations && s.Status != StepStatuses.Failed) is { } step
            ? string.Join(", ", step.Metrics.Where(m => IsShown(m.Key))
                .OrderBy(m => m.Key, StringComparer.Ordinal)
                .Select(m => string.Create(CultureInfo.InvariantCulture, $"{m.Value:N0} {m.Key}")))
            : "";

    private static string Score(double ndcg) => ndcg.ToString("0.0000", CultureInfo.InvariantCulture);

    private static string Duration(TimeSpan duration) => duration.TotalMinutes >= 1
        ? string.Create(CultureInfo.InvariantCulture, $"{(int)duration.TotalMinutes} min {duration.Seconds} s")
        : string.Create(CultureInfo.InvariantCulture, $"{duration.TotalSeconds:0.0} s");
}
