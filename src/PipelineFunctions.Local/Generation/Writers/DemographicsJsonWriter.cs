namespace PipelineFunctions.Local.Generation.Writers;

/// <summary>A demographics export: a JSON array with one object per answer (long format), streamed to disk.</summary>
internal static class DemographicsJsonWriter
{
    public static readonly IReadOnlyList<string> OldKeys = ["BadgeId", "showref", "QuestionText", "AnswerText"];
    public static readonly IReadOnlyList<string> SnakeKeys = ["badge_id", "show_ref", "question_text", "answer_text"];

    public static long Write(string path, IEnumerable<DemographicAnswer> answers, bool oldFormat, CancellationToken cancellationToken)
    {
        var keys = oldFormat ? OldKeys : SnakeKeys;
        using var stream = OutputFormat.Create(path);
        using var json = OutputFormat.Json(stream);
        long count = 0;
        json.WriteStartArray();
        foreach (var answer in answers)
        {
            json.WriteStartObject();
            json.WriteString(keys[0], answer.BadgeId);
            json.WriteString(keys[1], answer.ShowRef);
            json.WriteString(keys[2], answer.Question);
            json.WriteString(keys[3], answer.Answer);
            json.WriteEndObject();
            count++;
            OutputFormat.FlushWhenFull(json, cancellationToken);
        }
        json.WriteEndArray();
        OutputFormat.EndJson(json, stream);
        return count;
    }
}
