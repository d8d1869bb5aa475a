namespace PipelineFunctions.Core.Tests.Steps.Recommendations.Sharding;

/// <summary>A stream that hands out at most <c>chunk</c> bytes per read, as a network stream may.</summary>
internal sealed class ChunkedStream(byte[] bytes, int chunk) : MemoryStream(bytes)
{
    public override int Read(byte[] buffer, int offset, int count) => base.Read(buffer, offset, Math.Min(count, chunk));

    public override int Read(Span<byte> buffer) => base.Read(buffer[..Math.Min(buffer.Length, chunk)]);
}
