namespace PipelineFunctions.Local.Generation.Writers;

/// <summary>
/// A registration export: a JSON array of objects whose values are all strings. Old format (PascalCase keys) or the
/// newer snake_case export, keys in the reference's order.
/// </summary>
internal static class RegistrationJsonWriter
{
    public static readonly IReadOnlyList<string> OldKeys =
        ["BadgeId", "ShowRef", "BadgeType", "Source", "Email", "Forename", "Surname", "JobTitle", "Company", "Country", "Tel", "Mobile", "RegistrationDate"];

    public static readonly IReadOnlyList<string> SnakeKeys =
        ["badge_id", "show_ref", "badge_type", "source", "email", "forename", "surname", "job_title", "company", "country", "tel", "mobile", "registration_date"];

    public static long Write(string path, IEnumerable<Registration> rows, bool oldFormat, CancellationToken cancellationToken)
    {
        var keys = oldFormat ? OldKeys : SnakeKeys;
        using var stream = OutputFormat.Create(path);
        using var json = OutputFormat.Json(stream);
        long count = 0;
        json.WriteStartArray();
        foreach (var row in rows)
        {
            var person = row.Person;
            json.WriteStartObject();
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
            json.WriteEndObject();
            count++;
            OutputFormat.FlushWhenFull(json, cancellationToken);
        }
        json.WriteEndArray();
        OutputFormat.EndJson(json, stream);
        return count;
    }
}
