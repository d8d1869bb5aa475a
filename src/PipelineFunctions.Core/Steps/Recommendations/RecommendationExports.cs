using System.Globalization;
using System.Text;
using System.Text.Json;
using CsvHelper;
using CsvHelper.Configuration;
using PipelineFunctions.Core.Events;

namespace PipelineFunctions.Core.Steps.Recommendations;

/// <summary>
/// Step 4's exports in the reference's shape: JSON {metadata, theatre_capacity_stats, recommendations: {BadgeId:
/// {visitor, filtered_recommendations, metadata}}, statistics} and a CSV with one row per visitor and session.
/// Unlike the reference they hold no embedding vectors and no wall-clock time (so the same inputs give the same
/// bytes), and of the visitor only the badge id, assist_year_before, the similarity attributes and the configured
/// export fields: nothing else of a registration leaves the pipeline.
/// </summary>
internal static class RecommendationExports
{
    public static readonly string[] SessionColumns =
        ["session_id", "session_title", "session_stream", "session_date", "session_start_time", "session_end_time", "similarity_score",
            "session_theatre_name", "overlapping_sessions"];

    /// <summary>The CSV's last column when recommendation.export_reasons asks for it, and the JSON field of each session.</summary>
    public const string ReasonColumn = "reason";

    /// <summary>The visitor fields an export may carry, in export order.</summary>
    public static IReadOnlyList<string> VisitorColumns(EventConfig config) =>
        new[] { "assist_year_before" }.Concat(config.Recommendation.SimilarityAttributes.Keys).Concat(config.Recommendation.ExportVisitorFields)
            .Distinct(StringComparer.Ordinal).ToList();

    public static byte[] Json(EventConfig config, IReadOnlyList<ExportedAgenda> agendas, IReadOnlyDictionary<string, RecommendableSession> sessions,
        IReadOnlyDictionary<string, long> theatreStats, IReadOnlyDictionary<string, long> statistics)
    {
        using var buffer = new MemoryStream();
        WriteJson(buffer, config, agendas, sessions, theatreStats, statistics);
        return buffer.ToArray();
    }

    public static byte[] Csv(EventConfig config, IReadOnlyList<ExportedAgenda> agendas, IReadOnlyDictionary<string, RecommendableSession> sessions)
    {
        using var buffer = new MemoryStream();
        WriteCsv(buffer, config, agendas, sessions);
        return buffer.ToArray();
    }

    /// <summary>Writes the JSON export to a stream as it goes (at a large show it is hundreds of megabytes).</summary>
    public static void WriteJson(Stream output, EventConfig config, IReadOnlyList<ExportedAgenda> agendas,
        IReadOnlyDictionary<string, RecommendableSession> sessions, IReadOnlyDictionary<string, long> theatreStats,
        IReadOnlyDictionary<string, long> statistics)
    {
        // Compact: at 50,000 visitors an indented export is hundreds of megabytes of white space.
        using (var json = new Utf8JsonWriter(output, new JsonWriterOptions { Indented = false }))
        {
            var visitorColumns = VisitorColumns(config);
            json.WriteStartObject();
            json.WriteStartObject("metadata");
            json.WriteString("event", config.Event.Name);
            json.WriteNumber("visitors", agendas.Count);
            json.WriteNumber("max_recommendations", config.Recommendation.MaxRecommendations);
            json.WriteNumber("min_similarity_score", config.SimilarityThreshold());
            json.WriteEndObject();
            WriteCounts(json, "theatre_capacity_stats", theatreStats);
            json.WriteStartObject("recommendations");
            foreach (var exported in agendas.OrderBy(a => a.Agenda.BadgeId, StringComparer.Ordinal))
            {
                json.WriteStartObject(exported.Agenda.BadgeId);
                json.WriteStartObject("visitor");
                json.WriteString("BadgeId", exported.Agenda.BadgeId);
                foreach (var column in visitorColumns) json.WriteString(column, exported.Visitor.GetValueOrDefault(column) ?? "");
                json.WriteEndObject();
                json.WriteStartArray("filtered_recommendations");
                for (var i = 0; i < exported.Agenda.Items.Count; i++)
                {
                    var item = exported.Agenda.Items[i];
                    var session = sessions[item.SessionId];
                    json.WriteStartObject();
                    json.WriteString("session_id", session.SessionId);
                    json.WriteString("title", session.Title);
                    json.WriteString("stream", string.Join(";", session.Streams));
                    json.WriteString("date", session.Date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
                    json.WriteString("start_time", session.Start.ToString("HH:mm", CultureInfo.InvariantCulture));
                    json.WriteString("end_time", session.End.ToString("HH:mm", CultureInfo.InvariantCulture));
                    json.WriteString("theatre", session.Theatre);
                    json.WriteNumber("similarity_score", Math.Round(item.Score, 6));
                    json.WriteStartArray("overlapping_sessions");
                    foreach (var overlap in item.OverlappingSessionIds) json.WriteStringValue(overlap);
                    json.WriteEndArray();
                    // Not in the reference's shape: added after its fields, so a reader of that shape is unaffected.
                    json.WriteString(ReasonColumn, Reason(exported, i));
                    json.WriteEndObject();
                }
                json.WriteEndArray();
                json.WriteStartObject("metadata");
                json.WriteString("generation_strategy", exported.Strategy);
                json.WriteNumber("recommendations", exported.Agenda.Items.Count);
                json.WriteStartArray("notes");
                foreach (var note in exported.Agenda.Notes) json.WriteStringValue(note);
                json.WriteEndArray();
                json.WriteEndObject();
                json.WriteEndObject();
                // The writer buffers until flushed: hand each visitor's bytes on instead of holding the whole document.
                if (json.BytesPending > 1 << 16) json.Flush();
            }
            json.WriteEndObject();
            WriteCounts(json, "statistics", statistics);
            json.WriteEndObject();
        }
    }

    /// <summary>Writes the CSV export to a stream as it goes.</summary>
    public static void WriteCsv(Stream output, EventConfig config, IReadOnlyList<ExportedAgenda> agendas,
        IReadOnlyDictionary<string, RecommendableSession> sessions)
    {
        var visitorColumns = VisitorColumns(config);
        using (var text = new StreamWriter(output, new UTF8Encoding(false), 1 << 16, leaveOpen: true))
        using (var csv = new CsvWriter(text, new CsvConfiguration(CultureInfo.InvariantCulture) { NewLine = "\n" }))
        {
            // The reason column is opt-in (recommendation.export_reasons): by default the CSV keeps the reference's shape.
            var withReasons = config.Recommendation.ExportReasons;
            foreach (var column in new[] { "visitor_id", "show" }.Concat(visitorColumns).Concat(SessionColumns)) csv.WriteField(column);
            if (withReasons) csv.WriteField(ReasonColumn);
            csv.NextRecord();
            foreach (var exported in agendas.OrderBy(a => a.Agenda.BadgeId, StringComparer.Ordinal))
                for (var i = 0; i < exported.Agenda.Items.Count; i++)
                {
                    var item = exported.Agenda.Items[i];
                    var session = sessions[item.SessionId];
                    csv.WriteField(exported.Agenda.BadgeId);
                    csv.WriteField(config.Event.Name);
                    foreach (var column in visitorColumns) csv.WriteField(exported.Visitor.GetValueOrDefault(column) ?? "");
                    csv.WriteField(session.SessionId);
                    csv.WriteField(session.Title);
                    csv.WriteField(string.Join(";", session.Streams));
                    csv.WriteField(session.Date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
                    csv.WriteField(session.Start.ToString("HH:mm", CultureInfo.InvariantCulture));
                    csv.WriteField(session.End.ToString("HH:mm", CultureInfo.InvariantCulture));
                    csv.WriteField(Math.Round(item.Score, 6).ToString("0.######", CultureInfo.InvariantCulture));
                    csv.WriteField(session.Theatre);
                    csv.WriteField(string.Join(";", item.OverlappingSessionIds));
                    if (withReasons) csv.WriteField(Reason(exported, i));
                    csv.NextRecord();
                }
        }
    }

    private static string Reason(ExportedAgenda exported, int item) =>
        exported.Reasons is { } reasons && item < reasons.Count ? reasons[item] : "";

    private static void WriteCounts(Utf8JsonWriter json, string name, IReadOnlyDictionary<string, long> counts)
    {
        json.WriteStartObject(name);
        foreach (var (key, value) in counts.OrderBy(c => c.Key, StringComparer.Ordinal)) json.WriteNumber(key, value);
        json.WriteEndObject();
    }
}
