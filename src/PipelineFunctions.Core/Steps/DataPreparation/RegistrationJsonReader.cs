using PipelineFunctions.Core.Events;
using PipelineFunctions.Core.Inputs;

namespace PipelineFunctions.Core.Steps.DataPreparation;

/// <summary>
/// Reads a registration export (JSON array) into <see cref="RegistrationRow"/>s; the names are always the standard ones.
/// Repetitive fields (show, badge type, source, job title, company, country, extra fields) share one
/// string per value: the rows are held until every registration is read, and these fields are most of their size.
/// </summary>
internal static class RegistrationJsonReader
{
    public static async Task<List<RegistrationRow>> ReadAsync(InputFile file, RegistrationSettings settings, CancellationToken cancellationToken)
    {
        var names = RegistrationFieldNames.ForFormat(settings.OldFormat);
        var fields = names.Concat(settings.ExtraRegistrationFields).ToArray();
        var rows = new List<RegistrationRow>();
        var pools = fields.Select(_ => new TextPool()).ToArray();
        var repetitive = fields.Where((_, i) => i is 1 or 2 or 3 or 7 or 8 or 9 || i >= names.Length).ToHashSet(StringComparer.Ordinal);
        await foreach (var record in JsonArrayInput.ReadAsync(file.Stream, file.DisplayName, fields, cancellationToken,
            repetitiveFields: repetitive, reuseValues: true))
        {
            var v = record.Values;
            if (string.IsNullOrWhiteSpace(v[0]))
            {
                var format = settings.OldFormat
                    ? "true: PascalCase keys such as BadgeId are expected"
                    : "false: snake_case keys such as badge_id are expected";
                var hint = rows.Count == 0 ? $" (registration.old_format is {format}; is that the format of this export?)" : "";
                throw new PipelineInputException(file.DisplayName, "the badge id is missing" + hint, row: record.Row, field: names[0]);
            }
            var extra = new string[settings.ExtraRegistrationFields.Count];
            for (var i = 0; i < extra.Length; i++) extra[i] = Pooled(pools, v, names.Length + i);
            rows.Add(new RegistrationRow(file.DisplayName, record.Row,
                Text(v[0]), Pooled(pools, v, 1), Pooled(pools, v, 2), Pooled(pools, v, 3), Text(v[4]), Text(v[5]), Text(v[6]),
                Pooled(pools, v, 7), Pooled(pools, v, 8), Pooled(pools, v, 9), Text(v[10]), Text(v[11]), Text(v[12]), extra));
        }
        return rows;
    }

    private static string Text(string? value) => value?.Trim() ?? "";

    private static string Pooled(TextPool[] pools, string?[] values, int field) => pools[field].Intern(Text(values[field]));
}
