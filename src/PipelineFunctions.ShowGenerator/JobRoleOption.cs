namespace PipelineFunctions.ShowGenerator;

/// <summary>A job role answer, its share of visitors, its stream affinities and the job titles people with it write.</summary>
internal sealed record JobRoleOption(string Role, double Weight, IReadOnlyDictionary<string, double> StreamAffinity, IReadOnlyList<string> JobTitles);
