namespace PipelineFunctions.Core.Inputs;

/// <summary>Lets the reader look at the first significant byte (past white space and a BOM) without losing it.</summary>
internal sealed class PeekableStream(Stream inner) : ReadOnlyStream
{
    private byte[] _pending = [];
    private int _pendingOffset;

    public async Task<byte?> PeekSignificantByteAsync(CancellationToken cancellationToken)
    {
        var buffer = new byte[4096];
        var collected = new List<byte>();
        while (true)
        {
            var read = await inner.ReadAsync(buffer, cancellationToken);
            if (read == 0) break;
            collected.AddRange(buffer.AsSpan(0, read));
            var significant = FirstSignificant(collected);
            if (significant is not null) { _pending = [.. collected]; return significant; }
        }
        _pending = [.. collected];
        return null;
    }

    private static byte? FirstSignificant(List<byte> bytes)
    {
        var i = 0;
        if (bytes.Count >= 3 && bytes[0] == 0xEF && bytes[1] == 0xBB && bytes[2] == 0xBF) i = 3;
        for (; i < bytes.Count; i++)
            if (bytes[i] is not ((byte)' ' or (byte)'\t' or (byte)'\r' or (byte)'\n')) return bytes[i];
        return null;
    }

    public override int Read(Span<byte> buffer)
    {
        if (_pendingOffset < _pending.Length)
        {
            var n = Math.Min(buffer.Length, _pending.Length - _pendingOffset);
            _pending.AsSpan(_pendingOffset, n).CopyTo(buffer);
            _pendingOffset += n;
            return n;
        }
        return inner.Read(buffer);
    }

    public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
        _pendingOffset < _pending.Length ? ValueTask.FromResult(Read(buffer.Span)) : inner.ReadAsync(buffer, cancellationToken);

}
