namespace PipelineFunctions.ShowGenerator;

/// <summary>One file the generator wrote: its name (from the event config), data rows (JSON objects or CSV records) and size.</summary>
public sealed record GeneratedFile(string Name, long Rows, long Bytes);
