namespace PipelineFunctions.Infrastructure.Tests.Artifacts;

/// <summary>A forward-only stream, like a network or pipe stream: no Length, no Position, no Seek.</summary>
internal class NonSeekableStream(byte[] content) : Stream
{
    private int _position;

    public override bool CanRead => true;
    public override bool CanSeek => false;
    public override bool CanWrite => false;
    public override long Length => throw new NotSupportedException();
    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

    protected int Remaining => content.Length - _position;

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        var count = Math.Min(buffer.Length, Remaining);
        content.AsSpan(_position, count).CopyTo(buffer);
        _position += count;
        return count;
    }

    public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
        ValueTask.FromResult(Read(buffer.Span));

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override void Flush() { }
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();
    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
}

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

/// <summary>Delivers some bytes, then fails like a dropped connection.</summary>
internal sealed class FailingStream(byte[] content, int failAfter) : NonSeekableStream(content)
{
    private int _delivered;

    public override int Read(Span<byte> buffer)
    {
        if (_delivered >= failAfter) throw new IOException("simulated failure of the source stream");
        var read = base.Read(buffer[..Math.Min(buffer.Length, failAfter - _delivered)]);
        _delivered += read;
        return read;
    }
}
