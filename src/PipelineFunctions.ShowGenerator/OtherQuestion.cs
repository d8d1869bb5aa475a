namespace PipelineFunctions.ShowGenerator;

/// <summary>A question visitors answer that the pipeline does not keep (noise in the demographics export).</summary>
internal sealed record OtherQuestion(string Text, IReadOnlyList<string> Answers, int MaxAnswers = 1);
