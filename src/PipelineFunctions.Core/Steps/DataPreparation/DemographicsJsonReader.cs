using PipelineFunctions.Core.Inputs;

namespace PipelineFunctions.Core.Steps.DataPreparation;

/// <summary>
/// Reads a demographics export (long format: one row per answer) and keeps only the configured questions,
/// pivoted per badge id, so a million answer rows never sit in memory at once.
/// </summary>
internal static class DemographicsJsonReader
{
    /// <summary>Positions of the requested fields in each record.</summary>
    private const int BadgeField = 0, QuestionField = 1, AnswerField = 2;

    /// <param name="answers">badge id -> one slot per kept question; several answers to a question are joined with ";".</param>
    /// <returns>The number of answer rows read.</returns>
    public static async Task<long> ReadIntoAsync(InputFile file, bool oldFormat, IReadOnlyDictionary<string, int> questionSlots,
        Dictionary<string, string?[]> answers, CancellationToken cancellationToken)
    {
        var names = oldFormat ? RegistrationFieldNames.DemographicsOld : RegistrationFieldNames.DemographicsSnake;
        // The show ref is never used: it is not requested, so its four million values are never decoded.
        string[] fields = [names[0], names[2], names[3]];
        long count = 0;
        // Question text -> its kept slot, or -1 for a question not kept.
        var slotCache = new Dictionary<string, int>(StringComparer.Ordinal);
        // Answers come from short lists of options: one string per distinct answer (and joined answers) is enough.
        var pool = new TextPool();
        // A visitor's answers are consecutive rows, and the reader hands the same string for a repeated value: the previous row's
        // question, answer and visitor are recognised by reference, without hashing them again.
        string? lastQuestion = null, lastBadge = null;
        var lastSlot = -1;
        string?[]? lastSlots = null;
        // Every field repeats: a visitor's answers are consecutive rows, and questions and answers come from short lists.
        await foreach (var record in JsonArrayInput.ReadAsync(file.Stream, file.DisplayName, fields, cancellationToken, repetitiveFields: fields,
            reuseValues: true))
        {
            count++;
            var v = record.Values;
            if (string.IsNullOrWhiteSpace(v[BadgeField]))
            {
                var hint = count == 1 ? $" (registration.old_format is {(oldFormat ? "true" : "false")}: expected keys {string.Join(", ", names)})"
                    : "";
                throw new PipelineInputException(file.DisplayName, "the badge id is missing" + hint, row: record.Row, field: names[0]);
            }
            var question = v[QuestionField];
            var answerText = v[AnswerField]?.Trim();
            if (string.IsNullOrEmpty(question) || string.IsNullOrEmpty(answerText)) continue;
            if (!ReferenceEquals(question, lastQuestion))
            {
                if (!slotCache.TryGetValue(question, out lastSlot))
                    slotCache[question] = lastSlot = questionSlots.TryGetValue(TextKeys.QuestionColumn(question), out var kept) ? kept : -1;
                lastQuestion = question;
            }
            var slot = lastSlot;
            if (slot < 0) continue;

            var badgeId = v[BadgeField]!;
            if (!ReferenceEquals(badgeId, lastBadge))
            {
                var trimmed = badgeId.Trim();
                if (!answers.TryGetValue(trimmed, out lastSlots))
                    answers[trimmed] = lastSlots = new string?[questionSlots.Count];
                lastBadge = badgeId;
            }
            var slots = lastSlots!;
            var answer = pool.Intern(answerText);
            slots[slot] = slots[slot] is null ? answer
                : TextKeys.SplitList(slots[slot]!).Contains(answer, StringComparer.Ordinal) ? slots[slot] : pool.Intern(slots[slot] + ";" + answer);
        }
        return count;
    }
}
