using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace PipelineFunctions.Infrastructure.Tests.Notifications;

/// <summary>Every log entry at every level: the formatted message, each structured value, the exception and the scopes.</summary>
public sealed class CapturedLogs : ILoggerProvider, ILoggerFactory
{
    public ConcurrentQueue<(LogLevel Level, string Text)> Entries { get; } = new();

    public string AllText => string.Join('\n', Entries.Select(e => e.Text));

    public ILogger CreateLogger(string categoryName) => new Logger(Entries);

    public void AddProvider(ILoggerProvider provider) => throw new NotSupportedException();

    public void Dispose()
    {
    }

    private sealed class Logger(ConcurrentQueue<(LogLevel, string)> entries) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull
        {
            entries.Enqueue((LogLevel.Trace, $"scope: {state}"));
            return null;
        }

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            var values = state is IEnumerable<KeyValuePair<string, object?>> pairs ? string.Join("; ", pairs.Select(p => $"{p.Key}={p.Value}")) : "";
            entries.Enqueue((logLevel, $"{formatter(state, exception)} | {values} | {exception}"));
        }
    }
}
