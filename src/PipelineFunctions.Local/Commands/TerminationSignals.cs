using System.Runtime.InteropServices;

namespace PipelineFunctions.Local.Commands;

/// <summary>
/// SIGINT (Ctrl-C) and SIGTERM for the commands that stop gracefully (`pa serve`, `pa run`, `pa resume`): the first
/// signal cancels <see cref="Token"/> and the command winds down in its own time (System.CommandLine's own handler,
/// which ends the process 2 s after a signal, is off for them); a second one ends the process at once.
/// </summary>
internal sealed class TerminationSignals : IDisposable
{
    private readonly CancellationTokenSource _first = new();
    private readonly TextWriter _error;
    private readonly PosixSignalRegistration[] _registrations;
    private int _received;

    public TerminationSignals(TextWriter error)
    {
        _error = error;
        _registrations =
            [PosixSignalRegistration.Create(PosixSignal.SIGINT, OnSignal), PosixSignalRegistration.Create(PosixSignal.SIGTERM, OnSignal)];
    }

    /// <summary>Cancelled by the first signal.</summary>
    public CancellationToken Token => _first.Token;

    private void OnSignal(PosixSignalContext context)
    {
        // Not the runtime's default (end the process now): the command decides.
        context.Cancel = true;
        if (Interlocked.Increment(ref _received) == 1)
        {
            _first.Cancel();
            return;
        }
        _error.WriteLine($"{context.Signal} again: stopping at once; a run in flight keeps its lease until it expires, "
            + "then a restarted server or pa resume continues it");
        _error.Flush();
        Environment.Exit(PaCommandLine.ExitInterrupted);
    }

    public void Dispose()
    {
        foreach (var registration in _registrations) registration.Dispose();
        _first.Dispose();
    }
}
