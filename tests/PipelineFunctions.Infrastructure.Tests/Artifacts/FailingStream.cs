namespace PipelineFunctions.Infrastructure.Tests.Artifacts;

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
