using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Logging.Console;

namespace PipelineFunctions.Local.Commands;

/// <summary>Logs go to standard error (standard output is for results, e.g. --json), and only with --verbose.</summary>
internal static class CliLogging
{
    public static ILoggerFactory Create(bool verbose) =>
        verbose
            ? LoggerFactory.Create(builder =>
            {
                builder.SetMinimumLevel(LogLevel.Information).AddFilter("Microsoft", LogLevel.Warning);
                builder.AddSimpleConsole(options =>
                {
                    options.SingleLine = true;
                    options.IncludeScopes = true;
                    options.TimestampFormat = "HH:mm:ss ";
                });
                builder.Services.Configure<ConsoleLoggerOptions>(options => options.LogToStandardErrorThreshold = LogLevel.Trace);
            })
            : NullLoggerFactory.Instance;
}
