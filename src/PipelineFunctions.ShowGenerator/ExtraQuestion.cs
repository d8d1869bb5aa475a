namespace PipelineFunctions.ShowGenerator;

/// <summary>A kept question with plain answers (no stream affinity), e.g. "What is your industry?".</summary>
internal sealed record ExtraQuestion(string Column, IReadOnlyList<string> Answers, int MaxAnswers = 1);
