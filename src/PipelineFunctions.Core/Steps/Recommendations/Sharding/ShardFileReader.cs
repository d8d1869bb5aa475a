using System.Buffers;
using System.Buffers.Binary;
using System.Text;
using PipelineFunctions.Core.Inputs;

namespace PipelineFunctions.Core.Steps.Recommendations.Sharding;

/// <summary>
/// Reads what a BinaryWriter wrote (little-endian values, 7-bit encoded lengths, UTF-8 strings) as spans of one pooled buffer
/// refilled from the stream: a scored shard holds millions of values, and a BinaryReader call per value through a
/// BufferedStream was most of the fan-in's reading. Fails as a BinaryReader does: EndOfStreamException when the stream ends
/// early, FormatException for a bad 7-bit integer, IOException for a negative string length.
/// </summary>
internal sealed class ShardFileReader(Stream stream) : IDisposable
{
    // Texts shared across visitors are short (a strategy, a job role, a rule's note); the pool is bounded, so unique ones never
    // pile up.
    private const int MaxSharedLength = 256;

    private readonly TextPool _shared = new();
    private readonly char[] _chars = new char[MaxSharedLength];
    private byte[] _buffer = ArrayPool<byte>.Shared.Rent(1 << 20);
    private int _start;
    private int _end;

    /// <summary>The next <paramref name="count"/> bytes; valid until the next read.</summary>
    public ReadOnlySpan<byte> Take(int count)
    {
        if (_end - _start < count) Fill(count);
        var span = _buffer.AsSpan(_start, count);
        _start += count;
        return span;
    }

    public byte Byte() => Take(1)[0];

    public int Int32() => BinaryPrimitives.ReadInt32LittleEndian(Take(4));

    /// <summary>As BinaryReader.Read7BitEncodedInt.</summary>
    public int SevenBitInt()
    {
        // Nearly always one byte: read in place when it is there.
        if (_start < _end && _buffer[_start] < 0x80) return _buffer[_start++];
        uint result = 0;
        for (var shift = 0; shift < 28; shift += 7)
        {
            var part = Byte();
            result |= (part & 0x7Fu) << shift;
            if (part < 0x80) return (int)result;
        }
        var last = Byte();
        if (last > 0b1111) throw new FormatException("Too many bytes in what should have been a 7-bit encoded integer.");
        return (int)(result | ((uint)last << 28));
    }

    /// <summary>As BinaryReader.ReadString; when <paramref name="shared"/>, a text read before is returned as the same string.</summary>
    public string String(bool shared)
    {
        var length = SevenBitInt();
        if (length < 0) throw new IOException($"BinaryReader encountered an invalid string length of {length} characters.");
        if (length == 0) return "";
        var bytes = Take(length);
        if (!shared || length > MaxSharedLength) return Encoding.UTF8.GetString(bytes);
        // UTF-8 never decodes to more characters than it has bytes.
        return _shared.Intern(_chars.AsSpan(0, Encoding.UTF8.GetChars(bytes, _chars)));
    }

    /// <summary>Whether the stream has nothing left.</summary>
    public bool AtEnd()
    {
        if (_start < _end) return false;
        (_start, _end) = (0, stream.Read(_buffer, 0, _buffer.Length));
        return _end == 0;
    }

    public void Dispose()
    {
        ArrayPool<byte>.Shared.Return(_buffer);
        _buffer = [];
    }

    private void Fill(int count)
    {
        var have = _end - _start;
        Buffer.BlockCopy(_buffer, _start, _buffer, 0, have);
        (_start, _end) = (0, have);
        while (_end < count)
        {
            // Grown only as far as the stream really goes: a corrupt length fails at the end of the stream, not on an allocation.
            if (_end == _buffer.Length)
            {
                var larger = ArrayPool<byte>.Shared.Rent(2 * _buffer.Length);
                Buffer.BlockCopy(_buffer, 0, larger, 0, _end);
                ArrayPool<byte>.Shared.Return(_buffer);
                _buffer = larger;
            }
            var read = stream.Read(_buffer, _end, _buffer.Length - _end);
            if (read == 0) throw new EndOfStreamException("Unable to read beyond the end of the stream.");
            _end += read;
        }
    }
}
