using PipelineFunctions.Core.Steps.DataPreparation;

namespace PipelineFunctions.ShowGenerator.Writers;

/// <summary>
/// A registration export: a JSON array of objects whose values are all strings. Old format (PascalCase keys) or the
/// newer snake_case export, keys in the reference's order.
/// </summary>
internal static class RegistrationJsonWriter
{
    // The importer's own key lists, so the generator can never write a format step 1 does not read.
    public static IReadOnlyList<string> OldKeys => RegistrationFieldNames.Standard;
    public static IReadOnlyList<string> SnakeKeys => RegistrationFieldNames.Snake;

    public static long Write(string path, IEnumerable<Registration> rows, bool oldFormat, CancellationToken cancellationToken)
    {
        var keys = oldFormat ? OldKeys : SnakeKeys;
        return OutputFormat.WriteJsonArray(path, rows, (json, row) =>
        {
            var person = row.Person;
            json.WriteString(keys[0], row.BadgeId);
            json.WriteString(keys[1], row.WrittenShowRef);
            json.WriteString(keys[2], row.BadgeType);
            json.WriteString(keys[3], row.Source);
            json.WriteString(keys[4], row.Email);
            json.WriteString(keys[5], row.Forename);
            json.WriteString(keys[6], row.Surname);
            json.WriteString(keys[7], person.JobTitle);
            json.WriteString(keys[8], person.Company.Name);
            json.WriteString(keys[9], person.Country);
            json.WriteString(keys[10], person.Tel);
            json.WriteString(keys[11], person.Mobile);
            json.WriteString(keys[12], OutputFormat.Format(row.RegisteredAt));
        }, cancellationToken);
    }
}
