using PipelineFunctions.Core.Events;
using PipelineFunctions.Core.Inputs;

namespace PipelineFunctions.Core.Steps.DataPreparation;

/// <summary>One registration as exported, whichever field-name format the export used.</summary>
public sealed record RegistrationRow(
    string File, long Row,
    string BadgeId, string ShowRef, string BadgeType, string Source,
    string Email, string Forename, string Surname, string JobTitle, string Company, string Country,
    string Tel, string Mobile, string RegistrationDate, string[] Extra);

/// <summary>Field names of the two registration export formats (old PascalCase and the newer snake_case).</summary>
public static class RegistrationFieldNames
{
    public static readonly string[] Standard =
        ["BadgeId", "ShowRef", "BadgeType", "Source", "Email", "Forename", "Surname", "JobTitle", "Company", "Country", "Tel", "Mobile", "RegistrationDate"];

    public static readonly string[] Snake =
        ["badge_id", "show_ref", "badge_type", "source", "email", "forename", "surname", "job_title", "company", "country", "tel", "mobile", "registration_date"];

    public static readonly string[] DemographicsOld = ["BadgeId", "showref", "QuestionText", "AnswerText"];
    public static readonly string[] DemographicsSnake = ["badge_id", "show_ref", "question_text", "answer_text"];

    /// <summary>The names to read, in <see cref="Standard"/> order, for the configured format.</summary>
    public static string[] ForFormat(bool oldFormat) => oldFormat ? Standard : Snake;
}

/// <summary>Reads a registration export (JSON array) into <see cref="RegistrationRow"/>s; the names are always the standard ones.</summary>
public static class RegistrationJsonReader
{
    public static async Task<List<RegistrationRow>> ReadAsync(InputFile file, RegistrationSettings settings, CancellationToken cancellationToken)
    {
        var names = RegistrationFieldNames.ForFormat(settings.OldFormat);
        var fields = names.Concat(settings.ExtraRegistrationFields).ToArray();
        var rows = new List<RegistrationRow>();
        await foreach (var record in JsonArrayInput.ReadAsync(file.Stream, file.DisplayName, fields, cancellationToken))
        {
            var v = record.Values;
            if (string.IsNullOrWhiteSpace(v[0]))
            {
                var hint = rows.Count == 0
                    ? $" (registration.old_format is {(settings.OldFormat ? "true: PascalCase keys such as BadgeId are expected" : "false: snake_case keys such as badge_id are expected")}; is that the format of this export?)"
                    : "";
                throw new PipelineInputException(file.DisplayName, "the badge id is missing" + hint, row: record.Row, field: names[0]);
            }
            var extra = new string[settings.ExtraRegistrationFields.Count];
            for (var i = 0; i < extra.Length; i++) extra[i] = v[names.Length + i]?.Trim() ?? "";
            rows.Add(new RegistrationRow(file.DisplayName, record.Row,
                Text(v[0]), Text(v[1]), Text(v[2]), Text(v[3]), Text(v[4]), Text(v[5]), Text(v[6]),
                Text(v[7]), Text(v[8]), Text(v[9]), Text(v[10]), Text(v[11]), Text(v[12]), extra));
        }
        return rows;
    }

    private static string Text(string? value) => value?.Trim() ?? "";
}

/// <summary>
/// Reads a demographics export (long format: one row per answer) and keeps only the configured questions,
/// pivoted per badge id, so a million answer rows never sit in memory at once.
/// </summary>
public static class DemographicsJsonReader
{
    /// <param name="answers">badge id -> one slot per kept question; several answers to a question are joined with ";".</param>
    /// <returns>The number of answer rows read.</returns>
    public static async Task<long> ReadIntoAsync(InputFile file, bool oldFormat, IReadOnlyDictionary<string, int> questionSlots,
        Dictionary<string, string?[]> answers, CancellationToken cancellationToken)
    {
        var names = oldFormat ? RegistrationFieldNames.DemographicsOld : RegistrationFieldNames.DemographicsSnake;
        long count = 0;
        var columnCache = new Dictionary<string, string>(StringComparer.Ordinal);
        await foreach (var record in JsonArrayInput.ReadAsync(file.Stream, file.DisplayName, names, cancellationToken))
        {
            count++;
            var v = record.Values;
            if (string.IsNullOrWhiteSpace(v[0]))
            {
                var hint = count == 1 ? $" (registration.old_format is {(oldFormat ? "true" : "false")}: expected keys {string.Join(", ", names)})" : "";
                throw new PipelineInputException(file.DisplayName, "the badge id is missing" + hint, row: record.Row, field: names[0]);
            }
            var question = v[2];
            var answer = v[3]?.Trim();
            if (string.IsNullOrEmpty(question) || string.IsNullOrEmpty(answer)) continue;
            if (!columnCache.TryGetValue(question, out var column))
                columnCache[question] = column = TextKeys.QuestionColumn(question);
            if (!questionSlots.TryGetValue(column, out var slot)) continue;

            var badgeId = v[0]!.Trim();
            if (!answers.TryGetValue(badgeId, out var slots))
                answers[badgeId] = slots = new string?[questionSlots.Count];
            slots[slot] = slots[slot] is null ? answer
                : TextKeys.SplitList(slots[slot]!).Contains(answer, StringComparer.Ordinal) ? slots[slot] : slots[slot] + ";" + answer;
        }
        return count;
    }
}

/// <summary>Reads the practices file (vet shows): company name -> main type of veterinary practice.</summary>
public static class PracticesCsvReader
{
    public const string CompanyColumn = "Company Name";
    public const string PracticeTypeColumn = "Main Type of Veterinary Practice";

    public static Dictionary<string, string> Read(InputFile file)
    {
        using var csv = CsvInput.Open(file.Stream, file.DisplayName, CompanyColumn, PracticeTypeColumn);
        var practices = new Dictionary<string, string>(StringComparer.Ordinal);
        while (csv.Read())
        {
            var company = TextKeys.CompanyKey(csv.Get(CompanyColumn));
            var type = csv.Get(PracticeTypeColumn);
            if (company.Length > 0 && type.Length > 0) practices.TryAdd(company, type);
        }
        return practices;
    }
}
