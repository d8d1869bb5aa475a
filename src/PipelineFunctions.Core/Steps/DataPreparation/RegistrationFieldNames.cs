namespace PipelineFunctions.Core.Steps.DataPreparation;

/// <summary>Field names of the two registration export formats (old PascalCase and the newer snake_case).</summary>
public static class RegistrationFieldNames
{
    public static readonly string[] Standard =
        ["BadgeId", "ShowRef", "BadgeType", "Source", "Email", "Forename", "Surname", "JobTitle", "Company", "Country", "Tel", "Mobile",
            "RegistrationDate"];

    public static readonly string[] Snake =
        ["badge_id", "show_ref", "badge_type", "source", "email", "forename", "surname", "job_title", "company", "country", "tel", "mobile",
            "registration_date"];

    public static readonly string[] DemographicsOld = ["BadgeId", "showref", "QuestionText", "AnswerText"];
    public static readonly string[] DemographicsSnake = ["badge_id", "show_ref", "question_text", "answer_text"];

    /// <summary>The names to read, in <see cref="Standard"/> order, for the configured format.</summary>
    public static string[] ForFormat(bool oldFormat) => oldFormat ? Standard : Snake;
}
