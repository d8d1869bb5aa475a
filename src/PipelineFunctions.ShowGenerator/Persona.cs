namespace PipelineFunctions.ShowGenerator;

/// <summary>
/// A persona: job role x specialisation (practice type / main solution of interest) x organisation, with a
/// preference over streams. Past visitors attend sessions mostly from <see cref="PreferredStreams"/>.
/// </summary>
internal sealed record Persona(
    string JobRole, string Specialisation, string Organisation, IReadOnlyList<double> StreamWeights, IReadOnlyList<string> PreferredStreams)
{
    public string Key => $"{JobRole} | {Specialisation} | {Organisation}";
}
