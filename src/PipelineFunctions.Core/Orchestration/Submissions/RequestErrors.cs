namespace PipelineFunctions.Core.Orchestration.Submissions;

/// <summary>
/// How a refused run submission is reported on both hosts: a <see cref="PipelineInputException"/> on file
/// <see cref="File"/> whose <see cref="PipelineInputException.Field"/> names the request field (a JSON field, "body" or
/// "event") and whose problem quotes what the client sent, never a path of the host's own.
/// </summary>
public static class RequestErrors
{
    /// <summary>The <see cref="PipelineInputException.File"/> of every refusal of a submission.</summary>
    public const string File = "request";

    /// <summary>Longest stretch of a client's value quoted back in a message.</summary>
    public const int MaxQuotedLength = 200;

    public static PipelineInputException For(string field, string problem) => new(File, problem, field: field);

    /// <summary>The client's value in single quotes, cut to <see cref="MaxQuotedLength"/> characters, control characters as '?'.</summary>
    public static string Quote(string? value) =>
        "'" + (value is null ? "" : new string(value.Take(MaxQuotedLength).Select(c => char.IsControl(c) ? '?' : c).ToArray())) + "'";
}
