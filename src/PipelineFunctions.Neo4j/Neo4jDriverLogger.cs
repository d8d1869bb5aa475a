using System.Globalization;
using Microsoft.Extensions.Logging;
using Neo4jLogger = Neo4j.Driver.ILogger;

namespace PipelineFunctions.Neo4j;

/// <summary>
/// The driver's log, sent to the host's: its warnings are the retries of the adapter's one retry layer, which would
/// otherwise go unseen. Its info lines (routing table updates, trusted certificates) are chatty, so they go to Debug.
/// </summary>
internal sealed class Neo4jDriverLogger(ILogger logger) : Neo4jLogger
{
    public void Error(Exception cause, string message, params object[] args) => Write(LogLevel.Error, cause, message, args);

    public void Warn(Exception cause, string message, params object[] args) => Write(LogLevel.Warning, cause, message, args);

    public void Info(string message, params object[] args) => Write(LogLevel.Debug, null, message, args);

    public void Debug(string message, params object[] args) => Write(LogLevel.Debug, null, message, args);

    public void Trace(string message, params object[] args) => Write(LogLevel.Trace, null, message, args);

    public bool IsTraceEnabled() => logger.IsEnabled(LogLevel.Trace);

    public bool IsDebugEnabled() => logger.IsEnabled(LogLevel.Debug);

    private void Write(LogLevel level, Exception? cause, string message, object[] args)
    {
        if (!logger.IsEnabled(level)) return;
        // The driver formats with string.Format placeholders; the text is passed as a value, never as a template.
        var text = args is { Length: > 0 } ? string.Format(CultureInfo.InvariantCulture, message, args) : message;
        logger.Log(level, default, text, cause, static (state, _) => state);
    }
}
