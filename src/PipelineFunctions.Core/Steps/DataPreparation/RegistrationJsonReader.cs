using PipelineFunctions.Core.Events;
using PipelineFunctions.Core.Inputs;

namespace PipelineFunctions.Core.Steps.DataPreparation;

/// <summary>Reads a registration export (JSON array) into <see cref="RegistrationRow"/>s; the names are always the standard ones.</summary>
internal static class RegistrationJsonReader
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
                var format = settings.OldFormat
                    ? "true: PascalCase keys such as BadgeId are expected"
                    : "false: snake_case keys such as badge_id are expected";
                var hint = rows.Count == 0 ? $" (registration.old_format is {format}; is that the format of this export?)" : "";
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
