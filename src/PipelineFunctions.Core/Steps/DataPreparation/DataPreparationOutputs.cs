using System.Globalization;
using System.Text;
using CsvHelper;
using CsvHelper.Configuration;
using PipelineFunctions.Core.Artifacts;
using PipelineFunctions.Core.Events;
using PipelineFunctions.Core.Inputs;

namespace PipelineFunctions.Core.Steps.DataPreparation;

/// <summary>Writes step 1's tables as CSV (RFC 4180, "\n", UTF-8 without BOM) and the stream catalogue as JSON.</summary>
internal static class DataPreparationOutputs
{
    public static readonly string[] SessionColumns =
        ["session_id", "date", "start_time", "end_time", "theatre__name", "title", "stream", "synopsis_stripped", "sponsored_session", "sponsored_by",
            "key_text"];

    public static readonly string[] ScanColumns = ["BadgeId", "session_id", "key_text", "seminar_name", "scan_date", "file"];
    public static readonly string[] QuarantineColumns = ["file", "row", "session_id", "title", "reason"];

    private static readonly string[] VisitorStandardColumns =
        ["BadgeId", "ShowRef", "BadgeType", "Source", "Email", "Email_domain", "Forename", "Surname", "JobTitle", "Company", "Country", "Tel",
            "Mobile", "RegistrationDate"];

    /// <summary>Visitor columns: registration fields, then (this year) returning links, then one per kept question.</summary>
    public static string[] VisitorColumns(EventConfig config, IReadOnlyList<string> questionColumns, bool thisYear)
    {
        var columns = new List<string>(VisitorStandardColumns);
        columns.AddRange(config.Registration.ExtraRegistrationFields);
        if (thisYear)
        {
            columns.Add("Days_since_registration");
            columns.Add("assist_year_before");
            columns.Add(PastBadgeColumn(config.Event.MainEventName));
            columns.Add(PastBadgeColumn(config.Event.SecondaryEventName));
        }
        columns.AddRange(questionColumns);
        return [.. columns];
    }

    public static string PastBadgeColumn(string showName) => $"BadgeId_last_year_{showName}";

    public static RenderedOutput Visitors(string name, EventConfig config, IReadOnlyList<string> questionColumns,
        IReadOnlyList<PreparedVisitor> visitors, bool thisYear) =>
        Csv(name, VisitorColumns(config, questionColumns, thisYear), visitors, (v, fields) =>
        {
            var r = v.Registration;
            var at = r.Email.LastIndexOf('@');
            fields.AddRange([r.BadgeId, v.ShowRef, r.BadgeType, r.Source, r.Email, at >= 0 ? r.Email[(at + 1)..].ToLowerInvariant() : "",
                r.Forename, r.Surname, r.JobTitle, r.Company, r.Country, r.Tel, r.Mobile, v.RegistrationDate]);
            fields.AddRange(r.Extra);
            if (thisYear)
            {
                fields.Add(v.DaysSinceRegistration?.ToString(CultureInfo.InvariantCulture) ?? "");
                fields.Add(v.PastMainBadgeId is not null || v.PastSecondaryBadgeId is not null ? "1" : "0");
                fields.Add(v.PastMainBadgeId ?? "");
                fields.Add(v.PastSecondaryBadgeId ?? "");
            }
            foreach (var answer in v.Answers) fields.Add(answer ?? "");
        });

    public static RenderedOutput Sessions(string name, IReadOnlyList<PreparedSession> sessions) =>
        Csv(name, SessionColumns, sessions, (s, fields) => fields.AddRange([
            s.SessionId, InputDates.Format(s.Date), InputDates.Format(s.StartTime), InputDates.Format(s.EndTime), s.Theatre, s.Title,
            string.Join(";", s.Streams), s.Synopsis, s.SponsoredSession, s.SponsoredBy, s.KeyText]));

    public static RenderedOutput Scans(string name, IReadOnlyList<AttendedSession> attended) =>
        Csv(name, ScanColumns, attended, (a, fields) => fields.AddRange([
            a.BadgeId, a.SessionId, a.KeyText, a.SeminarName, a.ScanDate is { } d ? InputDates.Format(d) : "", a.SourceFile]));

    public static RenderedOutput Quarantine(IReadOnlyList<QuarantinedSession> quarantined) =>
        Csv(DataPreparationOutputNames.SessionsQuarantined, QuarantineColumns, quarantined, (q, fields) => fields.AddRange([
            q.File, q.Row.ToString(CultureInfo.InvariantCulture), q.SessionId, q.Title, q.Reason]));

    public static RenderedOutput Mappings(string name, string keyColumn, IReadOnlyList<StreamMapping> mappings) =>
        Csv(name, [keyColumn, "stream"], mappings, (m, fields) => fields.AddRange([m.Key, m.Stream]));

    public static RenderedOutput Theatres(IReadOnlyList<TheatreCapacity> theatres) =>
        Csv(DataPreparationOutputNames.Theatres, ["theatre__name", "capacity"], theatres,
            (t, fields) => fields.AddRange([t.Theatre, t.Capacity.ToString(CultureInfo.InvariantCulture)]));

    /// <summary>The stream catalogue {stream: description}, sorted by stream.</summary>
    public static RenderedOutput Streams(IReadOnlyList<KeyValuePair<string, string>> catalogue)
    {
        var ordered = new Dictionary<string, string>(catalogue);
        return Json(DataPreparationOutputNames.Streams, () => ordered, catalogue.Count);
    }

    /// <summary>A small JSON document, serialised when it is published (so a value computed then, such as timings, is current).</summary>
    public static RenderedOutput Json<T>(string name, Func<T> value, long? rows) =>
        new(name, (stream, _) => stream.Write(PipelineJson.Serialize(value())), rows);

    private static RenderedOutput Csv<T>(string name, IReadOnlyList<string> columns, IReadOnlyList<T> items, Action<T, List<string>> toFields) =>
        new(name, (stream, cancellationToken) =>
        {
            using var text = new StreamWriter(stream, new UTF8Encoding(false), 1 << 16, leaveOpen: true);
            using var csv = new CsvWriter(text, new CsvConfiguration(CultureInfo.InvariantCulture) { NewLine = "\n" });
            foreach (var column in columns) csv.WriteField(column);
            csv.NextRecord();
            var fields = new List<string>(columns.Count);
            for (var i = 0; i < items.Count; i++)
            {
                if (i % 4096 == 0) cancellationToken.ThrowIfCancellationRequested();
                fields.Clear();
                toFields(items[i], fields);
                foreach (var field in fields) csv.WriteField(field);
                csv.NextRecord();
            }
        }, items.Count);
}
