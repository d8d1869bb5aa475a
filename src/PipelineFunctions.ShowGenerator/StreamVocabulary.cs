namespace PipelineFunctions.ShowGenerator;

/// <summary>Words a stream's session titles and synopses are made of, so sessions of one stream share vocabulary.</summary>
/// <param name="Code">Short code used in scan short names (SA-D1-0930-T3).</param>
/// <param name="Related">Streams a session of this stream is often also tagged with.</param>
internal sealed record StreamVocabulary(
    string Name, string Code, double Weight,
    IReadOnlyList<string> Topics, IReadOnlyList<string> Subjects, IReadOnlyList<string> Phrases, IReadOnlyList<string> Related);
