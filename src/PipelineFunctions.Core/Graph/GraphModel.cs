namespace PipelineFunctions.Core.Graph;

// The agenda graph's vocabulary. Node labels and relationship types are the reference system's, so a
// Neo4j database written by this port reads like the one the Python pipeline wrote. Every node carries
// show = <event>, so several events share one database per environment.

/// <summary>Which visitor node label: this year's, or last year's at the main or the partner show.</summary>
public enum VisitorKind { ThisYear, PastMain, PastSecondary }

/// <summary>Which session node label.</summary>
public enum SessionYear { ThisYear, Past }

/// <summary>How a visitor is linked to a stream.</summary>
public enum VisitorStreamRelation { JobToStream, SpecialisationToStream }

/// <summary>
/// Full: nodes and relationships are created or updated, and this year's sessions are replaced (with their
/// streams links, embeddings and recommendations). Incremental (the reference's create_only_new): what exists
/// is kept as it is; only new nodes and relationships are added.
/// </summary>
public enum GraphWriteMode { Full, Incremental }

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

    public static string Relation(VisitorStreamRelation relation) => relation == VisitorStreamRelation.JobToStream ? JobToStream : SpecialisationToStream;
}

/// <summary>A visitor node: its badge id (the key) and every step-1 column as a property.</summary>
public sealed record VisitorNode(string BadgeId, IReadOnlyDictionary<string, string> Properties)
{
    /// <summary>Set by step 4; read back so incremental runs recommend only for visitors without recommendations.</summary>
    public bool HasRecommendation { get; init; }
    public bool ControlGroup { get; init; }
}

/// <summary>A session node: its id (the key), the streams it has, and every step-1 column as a property.</summary>
public sealed record SessionNode(string SessionId, IReadOnlyList<string> Streams, IReadOnlyDictionary<string, string> Properties);

/// <summary>A stream node, keyed case-insensitively by its name.</summary>
public sealed record StreamNode(string Stream, string Description);

public sealed record VisitorStreamLink(string BadgeId, string Stream);

/// <summary>(Visitor_this_year {BadgeId})-[:Same_Visitor {type}]->(Visitor_last_year_X {BadgeId: PastBadgeId}).</summary>
public sealed record SameVisitorLink(string BadgeId, VisitorKind PastKind, string PastBadgeId, string Type);

/// <summary>(Visitor_last_year_X)-[:attended_session {scan_date, file, seminar_name}]->(Sessions_past_year).</summary>
public sealed record AttendanceLink(string BadgeId, string SessionId, string ScanDate, string File, string SeminarName);

/// <summary>A session's embedding with the hash of the text it was computed from and the model that computed it.</summary>
public sealed record SessionEmbedding(SessionYear Year, string SessionId, string TextHash, string Model, float[] Vector);

/// <summary>What a session's stored embedding was computed from, to decide whether it is stale.</summary>
public sealed record EmbeddingStamp(SessionYear Year, string SessionId, string TextHash, string Model);

/// <summary>(Visitor_this_year)-[:IS_RECOMMENDED {similarity_score, generated_at}]->(Sessions_this_year).</summary>
public sealed record RecommendationLink(string BadgeId, string SessionId, double SimilarityScore);

/// <summary>What one bulk write did: created, updated (properties changed) and skipped (already there, kept) items; deleted by replacement.</summary>
public sealed record GraphWriteStats(long Created, long Updated, long Skipped, long Deleted = 0)
{
    public static readonly GraphWriteStats None = new(0, 0, 0);

    public static GraphWriteStats operator +(GraphWriteStats a, GraphWriteStats b) =>
        new(a.Created + b.Created, a.Updated + b.Updated, a.Skipped + b.Skipped, a.Deleted + b.Deleted);
}

/// <summary>Nodes per label and relationships per type, for one show.</summary>
public sealed record GraphCounts(IReadOnlyDictionary<string, long> Nodes, IReadOnlyDictionary<string, long> Relationships);
