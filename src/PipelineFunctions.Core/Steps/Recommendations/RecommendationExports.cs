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
        // Compact: at 50,000 visitors an indented export is hundreds of megabytes of white space. Unvalidated: the structure
        // is this method's own, and checking every call costs at millions of recommendations.
        using (var json = new Utf8JsonWriter(output, new JsonWriterOptions { Indented = false, SkipValidation = true }))
        {
            var reasons = new MadeOnce<string, JsonEncodedText>(text => JsonEncodedText.Encode(text), 8192, ReferenceEqualityComparer.Instance);
            var visitorColumns = VisitorColumns(config);
            var visitorNames = visitorColumns.Select(c => JsonEncodedText.Encode(c)).ToArray();
            var exportedSessions = ExportedSession.Of(sessions);
            json.WriteStartObject();
            json.WriteStartObject("metadata");
            json.WriteString("event", config.Event.Name);
            json.WriteNumber("visitors", agendas.Count);
            json.WriteNumber("max_recommendations", config.Recommendation.MaxRecommendations);
            json.WriteNumber("min_similarity_score", config.SimilarityThreshold());
            json.WriteEndObject();
            WriteCounts(json, "theatre_capacity_stats", theatreStats);
            json.WriteStartObject("recommendations");
            foreach (var exported in InBadgeOrder(agendas))
            {
                json.WriteStartObject(exported.Agenda.BadgeId);
                json.WriteStartObject(JsonNames.Visitor);
                json.WriteString(JsonNames.BadgeId, exported.Agenda.BadgeId);
                for (var c = 0; c < visitorColumns.Count; c++)
                    json.WriteString(visitorNames[c], exported.Visitor.GetValueOrDefault(visitorColumns[c]) ?? "");
                json.WriteEndObject();
                json.WriteStartArray(JsonNames.FilteredRecommendations);
                for (var i = 0; i < exported.Agenda.Items.Count; i++)
                {
                    var item = exported.Agenda.Items[i];
                    var session = exportedSessions[item.SessionId];
                    json.WriteStartObject();
                    json.WriteString(JsonNames.SessionId, session.Json.SessionId);
                    json.WriteString(JsonNames.Title, session.Json.Title);
                    json.WriteString(JsonNames.Stream, session.Json.Streams);
                    json.WriteString(JsonNames.Date, session.Json.Date);
                    json.WriteString(JsonNames.StartTime, session.Json.Start);
                    json.WriteString(JsonNames.EndTime, session.Json.End);
                    json.WriteString(JsonNames.Theatre, session.Json.Theatre);
                    json.WriteNumber(JsonNames.SimilarityScore, Math.Round(item.Score, 6));
                    json.WriteStartArray(JsonNames.OverlappingSessions);
                    foreach (var overlap in item.OverlappingSessionIds) json.WriteStringValue(overlap);
                    json.WriteEndArray();
                    // Not in the reference's shape: added after its fields, so a reader of that shape is unaffected.
                    json.WriteString(JsonNames.Reason, reasons.Of(Reason(exported, i)));
                    json.WriteEndObject();
                }
                json.WriteEndArray();
                json.WriteStartObject(JsonNames.Metadata);
                json.WriteString(JsonNames.GenerationStrategy, exported.Strategy);
                json.WriteNumber(JsonNames.Recommendations, exported.Agenda.Items.Count);
                json.WriteStartArray(JsonNames.Notes);
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
        var configuration = new CsvConfiguration(CultureInfo.InvariantCulture) { NewLine = "\n" };
        using (var text = new StreamWriter(output, new UTF8Encoding(false), 1 << 16, leaveOpen: true))
        using (var csv = new CsvWriter(text, configuration))
        {
            // The reason column is opt-in (recommendation.export_reasons): by default the CSV keeps the reference's shape.
            var withReasons = config.Recommendation.ExportReasons;
            foreach (var column in new[] { "visitor_id", "show" }.Concat(visitorColumns).Concat(SessionColumns)) csv.WriteField(column);
            if (withReasons) csv.WriteField(ReasonColumn);
            csv.NextRecord();
            // A visitor's columns repeat on each of their rows and a session's on each of its thousands: each is encoded once,
            // by CsvHelper's own rules, and written as it is.
            using var fragments = new CsvFragments(configuration);
            var scores = new MadeOnce<double, string>(score => score.ToString("0.######", CultureInfo.InvariantCulture), 1 << 16);
            var exportedSessions = ExportedSession.Of(sessions);
            var sessionFragments = exportedSessions.ToDictionary(p => p.Key, p => (
                Leading: fragments.Of([p.Value.Session.SessionId, p.Value.Session.Title, p.Value.Streams, p.Value.Date, p.Value.Start, p.Value.End]),
                Theatre: fragments.Of([p.Value.Session.Theatre])), StringComparer.Ordinal);
            // The rows are written as text: every field is an encoded fragment (a score's digits never need quotes), so a row is
            // its fragments joined by the delimiter, as CsvHelper joins them, without its per-field work on millions of rows.
            csv.Flush();
            var overlaps = new MadeOnce<string, string>(ids => fragments.Of([ids]), 8192);
            var reasons = new MadeOnce<string, string>(reason => fragments.Of([reason]), 8192, ReferenceEqualityComparer.Instance);
            var delimiter = configuration.Delimiter;
            foreach (var exported in InBadgeOrder(agendas))
            {
                var visitor = fragments.Of([exported.Agenda.BadgeId, config.Event.Name,
                    .. visitorColumns.Select(column => exported.Visitor.GetValueOrDefault(column) ?? "")]);
                for (var i = 0; i < exported.Agenda.Items.Count; i++)
                {
                    var item = exported.Agenda.Items[i];
                    var session = sessionFragments[item.SessionId];
                    text.Write(visitor);
                    text.Write(delimiter);
                    text.Write(session.Leading);
                    text.Write(delimiter);
                    // By value: 0 and -0 are one key but two texts, and no kept score is zero (they are above the threshold).
                    var score = Math.Round(item.Score, 6);
                    text.Write(score == 0 ? score.ToString("0.######", CultureInfo.InvariantCulture) : scores.Of(score));
                    text.Write(delimiter);
                    text.Write(session.Theatre);
                    text.Write(delimiter);
                    text.Write(item.OverlappingSessionIds.Count == 0 ? "" : overlaps.Of(string.Join(";", item.OverlappingSessionIds)));
                    if (withReasons)
                    {
                        text.Write(delimiter);
                        text.Write(reasons.Of(Reason(exported, i)));
                    }
                    text.Write(configuration.NewLine);
                }
            }
        }
    }

    /// <summary>Fields encoded as one piece of a CSV record (quoted where CsvHelper would quote them), to be written unquoted.</summary>
    private sealed class CsvFragments(CsvConfiguration configuration) : IDisposable
    {
        private readonly StringWriter _text = new(CultureInfo.InvariantCulture);
        private CsvWriter? _csv;

        public string Of(IReadOnlyList<string> fields)
        {
            _csv ??= new CsvWriter(_text, configuration);
            foreach (var field in fields) _csv.WriteField(field);
            _csv.NextRecord();
            _csv.Flush();
            var record = _text.GetStringBuilder();
            var fragment = record.ToString(0, record.Length - configuration.NewLine.Length);
            record.Clear();
            return fragment;
        }

        public void Dispose()
        {
            _csv?.Dispose();
            _text.Dispose();
        }
    }

    /// <summary>
    /// A session's fields as both exports write them, formatted (and JSON-encoded) once per export rather than once per
    /// recommendation: half a million rows at a large show name about a thousand sessions.
    /// </summary>
    private sealed class ExportedSession
    {
        public required RecommendableSession Session { get; init; }
        public required string Streams { get; init; }
        public required string Date { get; init; }
        public required string Start { get; init; }
        public required string End { get; init; }

        public (JsonEncodedText SessionId, JsonEncodedText Title, JsonEncodedText Streams, JsonEncodedText Date, JsonEncodedText Start,
            JsonEncodedText End, JsonEncodedText Theatre) Json => _json ??= (JsonEncodedText.Encode(Session.SessionId),
            JsonEncodedText.Encode(Session.Title), JsonEncodedText.Encode(Streams), JsonEncodedText.Encode(Date), JsonEncodedText.Encode(Start),
            JsonEncodedText.Encode(End), JsonEncodedText.Encode(Session.Theatre));

        private (JsonEncodedText, JsonEncodedText, JsonEncodedText, JsonEncodedText, JsonEncodedText, JsonEncodedText, JsonEncodedText)? _json;

        public static Dictionary<string, ExportedSession> Of(IReadOnlyDictionary<string, RecommendableSession> sessions) =>
            sessions.ToDictionary(p => p.Key, p => new ExportedSession
            {
                Session = p.Value, Streams = string.Join(";", p.Value.Streams),
                Date = p.Value.Date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
                Start = p.Value.Start.ToString("HH:mm", CultureInfo.InvariantCulture),
                End = p.Value.End.ToString("HH:mm", CultureInfo.InvariantCulture),
            }, StringComparer.Ordinal);
    }

    /// <summary>
    /// A text made once per key, for what repeats across millions of rows: a CSV score (one of some tens of thousands of
    /// values), a reason's JSON encoding (a few thousand texts, the same string each time, see
    /// <see cref="RecommendationReasonText"/>, plus one per visitor shared by their agenda's items). Cleared when full, so
    /// keys that do not repeat never pile up for the whole export.
    /// </summary>
    private sealed class MadeOnce<TKey, TText>(Func<TKey, TText> make, int maxKept, IEqualityComparer<TKey>? comparer = null)
        where TKey : notnull
    {
        private readonly Dictionary<TKey, TText> _made = new(comparer);

        public TText Of(TKey key)
        {
            if (_made.TryGetValue(key, out var made)) return made;
            if (_made.Count >= maxKept) _made.Clear();
            return _made[key] = make(key);
        }
    }

    /// <summary>The JSON export's property names, encoded once.</summary>
    private static class JsonNames
    {
        public static readonly JsonEncodedText Visitor = JsonEncodedText.Encode("visitor");
        public static readonly JsonEncodedText BadgeId = JsonEncodedText.Encode("BadgeId");
        public static readonly JsonEncodedText FilteredRecommendations = JsonEncodedText.Encode("filtered_recommendations");
        public static readonly JsonEncodedText SessionId = JsonEncodedText.Encode("session_id");
        public static readonly JsonEncodedText Title = JsonEncodedText.Encode("title");
        public static readonly JsonEncodedText Stream = JsonEncodedText.Encode("stream");
        public static readonly JsonEncodedText Date = JsonEncodedText.Encode("date");
        public static readonly JsonEncodedText StartTime = JsonEncodedText.Encode("start_time");
        public static readonly JsonEncodedText EndTime = JsonEncodedText.Encode("end_time");
        public static readonly JsonEncodedText Theatre = JsonEncodedText.Encode("theatre");
        public static readonly JsonEncodedText SimilarityScore = JsonEncodedText.Encode("similarity_score");
        public static readonly JsonEncodedText OverlappingSessions = JsonEncodedText.Encode("overlapping_sessions");
        public static readonly JsonEncodedText Reason = JsonEncodedText.Encode(ReasonColumn);
        public static readonly JsonEncodedText Metadata = JsonEncodedText.Encode("metadata");
        public static readonly JsonEncodedText GenerationStrategy = JsonEncodedText.Encode("generation_strategy");
        public static readonly JsonEncodedText Recommendations = JsonEncodedText.Encode("recommendations");
        public static readonly JsonEncodedText Notes = JsonEncodedText.Encode("notes");
    }

    /// <summary>The agendas by badge id: as they come when they already are (step 4's fan-in assembles them in that order).</summary>
    private static IEnumerable<ExportedAgenda> InBadgeOrder(IReadOnlyList<ExportedAgenda> agendas)
    {
        for (var i = 1; i < agendas.Count; i++)
            if (string.CompareOrdinal(agendas[i - 1].Agenda.BadgeId, agendas[i].Agenda.BadgeId) > 0)
                return agendas.OrderBy(a => a.Agenda.BadgeId, StringComparer.Ordinal);
        return agendas;
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
