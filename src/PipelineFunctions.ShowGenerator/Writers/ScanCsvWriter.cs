namespace PipelineFunctions.ShowGenerator.Writers;

/// <summary>Seminar scans (Badge Id, Short Name, Scan Date, File) and their reference (Short Name, Seminar Name).</summary>
internal static class ScanCsvWriter
{
    public static readonly IReadOnlyList<string> ScanHeader = ["Badge Id", "Short Name", "Scan Date", "File"];
    public static readonly IReadOnlyList<string> ReferenceHeader = ["Short Name", "Seminar Name"];

    public static long WriteScans(string path, IReadOnlyList<SeminarScan> scans)
    {
        using var csv = OutputFormat.Csv(path);
        OutputFormat.WriteHeader(csv, ScanHeader);
        foreach (var scan in scans) OutputFormat.WriteRecord(csv, scan.BadgeId, scan.ShortName, OutputFormat.Format(scan.ScanDate), scan.File);
        return scans.Count;
    }

    public static long WriteReference(string path, IReadOnlyList<ScanReferenceRow> reference)
    {
        using var csv = OutputFormat.Csv(path);
        OutputFormat.WriteHeader(csv, ReferenceHeader);
        foreach (var row in reference) OutputFormat.WriteRecord(csv, row.ShortName, row.SeminarName);
        return reference.Count;
    }
}
