namespace PipelineFunctions.ShowGenerator;

/// <summary>A visitor's employer. Vet practices have one practice type (the practices file lists it).</summary>
internal sealed record Company(string Name, string Organisation, string? Specialisation, string Domain);
