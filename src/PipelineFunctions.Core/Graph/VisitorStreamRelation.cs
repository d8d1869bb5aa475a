namespace PipelineFunctions.Core.Graph;

/// <summary>How a visitor is linked to a stream.</summary>
public enum VisitorStreamRelation { JobToStream, SpecialisationToStream }
