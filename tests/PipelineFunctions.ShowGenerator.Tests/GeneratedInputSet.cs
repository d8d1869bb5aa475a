using PipelineFunctions.Core.Events;

namespace PipelineFunctions.ShowGenerator.Tests;

/// <summary>One generated input set: the config, what the generator decided, and the folder it wrote.</summary>
internal sealed class GeneratedInputSet
{
    public required EventConfig Config { get; init; }
    public required GeneratedShowData Data { get; init; }
    public required GenerationSummary Summary { get; init; }
    public required string Folder { get; init; }

    public string PathOf(string fileName) => Path.Combine(Folder, fileName);

    public List<Dictionary<string, string>> Json(string fileName) => InputFiles.ReadJson(PathOf(fileName));

    public (string[] Header, List<Dictionary<string, string>> Rows) Csv(string fileName) => InputFiles.ReadCsv(PathOf(fileName));

    /// <summary>Registration rows of both exports with standard (old format) field names.</summary>
    public List<Dictionary<string, string>> Registrations()
    {
        var rows = Json(Config.Inputs.MainRegistration);
        rows.AddRange(Json(Config.Inputs.SecondaryRegistration));
        return Config.Registration.OldFormat ? rows : rows.Select(InputFiles.ToOldRegistrationKeys).ToList();
    }

    /// <summary>Demographic rows of both exports as (BadgeId, showref, QuestionText, AnswerText).</summary>
    public List<(string BadgeId, string ShowRef, string Question, string Answer)> Demographics()
    {
        var keys = Config.Registration.OldFormat
            ? new[] { "BadgeId", "showref", "QuestionText", "AnswerText" }
            : ["badge_id", "show_ref", "question_text", "answer_text"];
        return Json(Config.Inputs.MainDemographics).Concat(Json(Config.Inputs.SecondaryDemographics))
            .Select(r => (r[keys[0]], r[keys[1]], r[keys[2]], r[keys[3]]))
            .ToList();
    }
}
