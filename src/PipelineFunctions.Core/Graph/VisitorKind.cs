namespace PipelineFunctions.Core.Graph;

/// <summary>Which visitor node label: this year's, or last year's at the main or the partner show.</summary>
public enum VisitorKind { ThisYear, PastMain, PastSecondary }
