namespace PipelineFunctions.Core.Inputs;

/// <summary>One element of a JSON array: its 1-based position and the requested fields' values.</summary>
internal readonly record struct JsonRecord(long Row, string?[] Values);
