namespace PipelineFunctions.ShowGenerator;

/// <summary>The three shows of an input set, relative to this year's event.</summary>
internal enum ShowRole { ThisYear, PastMain, PastSecondary }
