namespace PipelineFunctions.Hosting;

/// <summary>One event the weekly timer runs, with its input location relative to <see cref="AzureHostOptions.InputsLocation"/>.</summary>
public sealed record WeeklyEvent(string Event, string Input);
