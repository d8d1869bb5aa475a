namespace PipelineFunctions.Core.Steps.DataPreparation;

/// <summary>Which show a registration belongs to, relative to this year's event.</summary>
public enum ShowGroup { ThisYear, PastMain, PastSecondary }
