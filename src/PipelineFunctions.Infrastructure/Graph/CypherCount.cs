namespace PipelineFunctions.Infrastructure.Graph;

/// <summary>Node label or relationship type whose count one statement returns (in column <c>total</c>); the adapter sums a
/// type's statements (a type can start from several labels).</summary>
public sealed record CypherCount(string Name, bool IsRelationship, CypherStatement Statement);
