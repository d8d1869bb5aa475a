namespace PipelineFunctions.Core.Graph;

// The agenda graph's vocabulary. Node labels and relationship types are the reference system's, so a
// Neo4j database written by this port reads like the one the Python pipeline wrote. Every node carries
// show = <event>, so several events share one database per environment.

/// <summary>Labels of the reference system's graph; the past visitor labels end in the show's short name.</summary>
public static class GraphLabels
{
    public const string VisitorThisYear = "Visitor_this_year";
    public const string SessionsThisYear = "Sessions_this_year";
    public const string SessionsPastYear = "Sessions_past_year";
    public const string Stream = "Stream";

    public const string HasStream = "HAS_STREAM";
    public const string JobToStream = "job_to_stream";
    public const string SpecialisationToStream = "specialization_to_stream"; // sic, as the reference spells it
    public const string SameVisitor = "Same_Visitor";
    public const string AttendedSession = "attended_session";
    public const string IsRecommended = "IS_RECOMMENDED";

    public static string Visitor(VisitorKind kind, string mainEventName, string secondaryEventName) => kind switch
    {
        VisitorKind.ThisYear => VisitorThisYear,
        VisitorKind.PastMain => $"Visitor_last_year_{mainEventName}",
        _ => $"Visitor_last_year_{secondaryEventName}",
    };

    public static string Session(SessionYear year) => year == SessionYear.ThisYear ? SessionsThisYear : SessionsPastYear;

    public static string Relation(VisitorStreamRelation relation) =>
        relation == VisitorStreamRelation.JobToStream ? JobToStream : SpecialisationToStream;
}
