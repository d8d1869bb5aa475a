namespace PipelineFunctions.Core.Steps.DataPreparation;

/// <summary>Which show a registration belongs to, relative to this year's event.</summary>
internal enum ShowGroup { ThisYear, PastMain, PastSecondary }
