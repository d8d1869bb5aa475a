using PipelineFunctions.Core.Inputs;

namespace PipelineFunctions.Core.Steps.DataPreparation;

/// <summary>
/// Reads a session export CSV (session_id, date, start_time, end_time, theatre__name, title, stream, synopsis_stripped, sponsored_session,
/// sponsored_by).
/// </summary>
internal static class SessionExportReader
{
    public static readonly string[] RequiredColumns = ["session_id", "date", "start_time", "end_time", "theatre__name", "title", "stream",
        "synopsis_stripped"];

    public static List<SessionExportRow> Read(InputFile file)
    {
        using var csv = CsvInput.Open(file.Stream, file.DisplayName, RequiredColumns);
        int id = csv.ColumnIndex("session_id"), date = csv.ColumnIndex("date"), start = csv.ColumnIndex("start_time"),
            end = csv.ColumnIndex("end_time"), theatre = csv.ColumnIndex("theatre__name"), title = csv.ColumnIndex("title"),
            stream = csv.ColumnIndex("stream"), synopsis = csv.ColumnIndex("synopsis_stripped"),
            sponsored = csv.ColumnIndex("sponsored_session"), sponsor = csv.ColumnIndex("sponsored_by");
        var rows = new List<SessionExportRow>();
        while (csv.Read())
            rows.Add(new SessionExportRow(file.DisplayName, csv.Row, csv.Get(id), csv.Get(date), csv.Get(start), csv.Get(end),
                csv.Get(theatre), csv.Get(title), csv.Get(stream), csv.Get(synopsis), csv.Get(sponsored), csv.Get(sponsor)));
        return rows;
    }
}
