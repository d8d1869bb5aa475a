using PipelineFunctions.Core.Steps.DataPreparation;

namespace PipelineFunctions.ShowGenerator.Writers;

/// <summary>A demographics export: a JSON array with one object per answer (long format), streamed to disk.</summary>
internal static class DemographicsJsonWriter
{
    // The importer's own key lists, so the generator can never write a format step 1 does not read.
    public static IReadOnlyList<string> OldKeys => RegistrationFieldNames.DemographicsOld;
    public static IReadOnlyList<string> SnakeKeys => RegistrationFieldNames.DemographicsSnake;

    public static long Write(string path, IEnumerable<DemographicAnswer> answers, bool oldFormat, CancellationToken cancellationToken)
    {
        var keys = oldFormat ? OldKeys : SnakeKeys;
        return OutputFormat.WriteJsonArray(path, answers, (json, answer) =>
        {
            json.WriteString(keys[0], answer.BadgeId);
            json.WriteString(keys[1], answer.ShowRef);
            json.WriteString(keys[2], answer.Question);
            json.WriteString(keys[3], answer.Answer);
        }, cancellationToken);
    }
}
