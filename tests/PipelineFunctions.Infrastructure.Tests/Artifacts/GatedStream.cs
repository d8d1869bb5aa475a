namespace PipelineFunctions.Infrastructure.Tests.Artifacts;

/// <summary>
/// Delivers the first <c>firstPartLength</c> bytes, then signals <see cref="ReachedGate"/> and waits for
/// <see cref="Open"/> before delivering the rest: a write that is visibly in progress.
/// </summary>
internal sealed class GatedStream(byte[] content, int firstPartLength) : NonSeekableStream(content)
{
    private readonly TaskCompletionSource _reachedGate = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _gate = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _delivered;

    public Task ReachedGate => _reachedGate.Task;

    public void Open() => _gate.TrySetResult();

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        if (_delivered >= firstPartLength && Remaining > 0)
        {
            _reachedGate.TrySetResult();
            await _gate.Task.WaitAsync(cancellationToken);
        }
        var limit = _delivered < firstPartLength ? Math.Min(buffer.Length, firstPartLength - _delivered) : buffer.Length;
        var read = Read(buffer.Span[..limit]);
        _delivered += read;
        return read;
    }
}
