using PipelineFunctions.Core.Inputs;

namespace PipelineFunctions.Core.Steps.DataPreparation;

/// <summary>
/// Reads a demographics export (long format: one row per answer) and keeps only the configured questions,
/// pivoted per badge id, so a million answer rows never sit in memory at once.
/// </summary>
internal static class DemographicsJsonReader
{
    /// <param name="answers">badge id -> one slot per kept question; several answers to a question are joined with ";".</param>
    /// <returns>The number of answer rows read.</returns>
    public static async Task<long> ReadIntoAsync(InputFile file, bool oldFormat, IReadOnlyDictionary<string, int> questionSlots,
        Dictionary<string, string?[]> answers, CancellationToken cancellationToken)
    {
        var names = oldFormat ? RegistrationFieldNames.DemographicsOld : RegistrationFieldNames.DemographicsSnake;
        long count = 0;
        var columnCache = new Dictionary<string, string>(StringComparer.Ordinal);
        // Answers come from short lists of options: one string per distinct answer (and joined answers) is enough.
        var pool = new TextPool();
        // Every field repeats: a visitor's answers are consecutive rows, and questions and answers come from short lists.
        await foreach (var record in JsonArrayInput.ReadAsync(file.Stream, file.DisplayName, names, cancellationToken, repetitiveFields: names))
        {
            count++;
            var v = record.Values;
            if (string.IsNullOrWhiteSpace(v[0]))
            {
                var hint = count == 1 ? $" (registration.old_format is {(oldFormat ? "true" : "false")}: expected keys {string.Join(", ", names)})"
                    : "";
                throw new PipelineInputException(file.DisplayName, "the badge id is missing" + hint, row: record.Row, field: names[0]);
            }
            var question = v[2];
            var answer = v[3] is { } text ? pool.Intern(text.Trim()) : null;
            if (string.IsNullOrEmpty(question) || string.IsNullOrEmpty(answer)) continue;
            if (!columnCache.TryGetValue(question, out var column))
                columnCache[question] = column = TextKeys.QuestionColumn(question);
            if (!questionSlots.TryGetValue(column, out var slot)) continue;

            var badgeId = v[0]!.Trim();
            if (!answers.TryGetValue(badgeId, out var slots))
                answers[badgeId] = slots = new string?[questionSlots.Count];
            slots[slot] = slots[slot] is null ? answer
                : TextKeys.SplitList(slots[slot]!).Contains(answer, StringComparer.Ordinal) ? slots[slot] : pool.Intern(slots[slot] + ";" + answer);
        }
        return count;
    }
}
