namespace PipelineFunctions.ShowGenerator;

/// <summary>Which vocabulary the generated people and sessions use.</summary>
public enum GenerationProfileKind
{
    /// <summary>Veterinary shows: job roles, practice types, organisation types, clinical streams.</summary>
    Vet,
    /// <summary>E-commerce shows: job roles, industries, what you do, solutions of interest.</summary>
    Ecomm,
}
