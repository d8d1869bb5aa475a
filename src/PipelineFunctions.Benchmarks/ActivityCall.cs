namespace PipelineFunctions.Benchmarks;

/// <summary>
/// One activity for a fresh process to run: its name, the files its JSON input is read from and its output written to,
/// and the workspace (artifact store and graph folder) every activity of the run shares.
/// </summary>
public sealed record ActivityCall(string Activity, string InputFile, string OutputFile, string WorkspaceFolder, string ConfigRoot);
