namespace PipelineFunctions.Core.Steps.DataPreparation;

internal sealed record SeminarScanRow(string File, long Row, string BadgeId, string ShortName, DateTime? ScanDate, string SourceFile);
