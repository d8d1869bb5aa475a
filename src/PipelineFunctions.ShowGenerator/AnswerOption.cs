namespace PipelineFunctions.ShowGenerator;

/// <summary>A weighted answer and how strongly it draws its holder towards each stream (0..1).</summary>
internal sealed record AnswerOption(string Answer, double Weight, IReadOnlyDictionary<string, double> StreamAffinity);
