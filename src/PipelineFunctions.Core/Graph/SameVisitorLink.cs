namespace PipelineFunctions.Core.Graph;

/// <summary>(Visitor_this_year {BadgeId})-[:Same_Visitor {type}]->(Visitor_last_year_X {BadgeId: PastBadgeId}).</summary>
public sealed record SameVisitorLink(string BadgeId, VisitorKind PastKind, string PastBadgeId, string Type);
