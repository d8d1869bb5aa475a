namespace PipelineFunctions.Core.Graph;

/// <summary>Which session node label.</summary>
public enum SessionYear { ThisYear, Past }
