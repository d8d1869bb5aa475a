using System.IO.Pipelines;

namespace PipelineFunctions.Core.Artifacts;

/// <summary>
/// The write end of a pipe for a renderer on a thread of its own. Each write is copied once, straight into the pipe's
/// memory (a PipeWriter's own stream rents a buffer and copies twice), and handed to the reader every quarter megabyte,
/// waiting there while the reader is behind: far fewer hand-overs than a flush per writer buffer.
/// </summary>
internal sealed class PipeRenderStream(PipeWriter writer) : Stream
{
    private const int HandOverBytes = 1 << 18;
    private int _notHandedOver;

    public override bool CanRead => false;
    public override bool CanSeek => false;
    public override bool CanWrite => true;
    public override long Length => throw new NotSupportedException();
    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

    public override void Write(ReadOnlySpan<byte> buffer)
    {
        while (!buffer.IsEmpty)
        {
            var target = writer.GetSpan(Math.Min(buffer.Length, HandOverBytes));
            var count = Math.Min(target.Length, buffer.Length);
            buffer[..count].CopyTo(target);
            writer.Advance(count);
            buffer = buffer[count..];
            _notHandedOver += count;
        }
        if (_notHandedOver >= HandOverBytes) HandOver();
    }

    public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

    /// <summary>Writers flush after every buffer they fill: the data is handed over at the pipe's own pace instead.</summary>
    public override void Flush()
    {
        if (_notHandedOver >= HandOverBytes) HandOver();
    }

    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();

    private void HandOver()
    {
        _notHandedOver = 0;
        // Blocks only this renderer's own thread (it was started for this), while the reader catches up.
        if (writer.FlushAsync().AsTask().GetAwaiter().GetResult().IsCompleted)
            throw new IOException("the store stopped reading the export before it was complete");
    }
}
