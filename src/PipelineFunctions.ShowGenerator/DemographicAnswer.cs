namespace PipelineFunctions.ShowGenerator;

/// <summary>One row of a demographics export (long format): one answer to one question.</summary>
internal readonly record struct DemographicAnswer(string BadgeId, string ShowRef, string Question, string Answer);
