namespace PipelineFunctions.Core.Steps.DataPreparation;

/// <summary>A value, not an object: a past show has a million scans, each needed only while it is matched.</summary>
internal readonly record struct SeminarScanRow(string File, long Row, string BadgeId, string ShortName, DateTime? ScanDate, string SourceFile);
