using System.Runtime.Intrinsics;

namespace PipelineFunctions.Infrastructure.Embeddings;

/// <summary>
/// A seeded random projection of a sparse feature vector onto <see cref="Dimensions"/> dense dimensions
/// (Achlioptas' +-1 variant of Johnson-Lindenstrauss): feature j adds +x or -x to each output dimension, the signs
/// being the bits of a SplitMix64 stream seeded by (seed, j). The matrix is never stored: it is a pure function of the
/// seed, so a saved model needs only the seed, and any feature count works without memory growing with it.
/// </summary>
/// <remarks>
/// Bit-identical everywhere: x * (+-1) is exact and each output dimension adds its terms in feature order, whatever the
/// vector width of the machine.
/// </remarks>
internal sealed class SignRandomProjection
{
    private const int Lanes = 8;

    /// <summary>Row b: the eight signs (+1 for a clear bit, -1 for a set one) of the bits of byte b, lowest bit first.</summary>
    private static readonly Vector256<float>[] SignsOfByte = BuildSignTable();

    private readonly ulong _seed;
    private readonly int _paddedDimensions;

    public SignRandomProjection(int dimensions, int seed)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(dimensions, 1);
        Dimensions = dimensions;
        _paddedDimensions = (dimensions + Lanes - 1) / Lanes * Lanes;
        _seed = Mix((ulong)(uint)seed ^ 0x5EED_5EED_5EED_5EEDUL);
    }

    public int Dimensions { get; }

    /// <summary>A zeroed accumulator for <see cref="Add"/>, padded to whole vectors.</summary>
    public float[] NewAccumulator() => new float[_paddedDimensions];

    /// <summary>Adds <paramref name="value"/> times feature <paramref name="feature"/>'s projection row to <paramref name="accumulator"/>.</summary>
    public void Add(float[] accumulator, long feature, float value)
    {
        if (value == 0f) return;
        var scale = Vector256.Create(value);
        var state = Mix(_seed ^ ((ulong)feature * 0x9E3779B97F4A7C15UL));
        var bits = 0UL;
        for (var block = 0; block < _paddedDimensions / Lanes; block++)
        {
            if (block % 8 == 0) bits = NextRandom(ref state);
            var signs = SignsOfByte[(int)(bits & 0xFF)];
            bits >>= 8;
            var offset = block * Lanes;
            var sum = Vector256.Create(accumulator, offset) + scale * signs;
            sum.CopyTo(accumulator, offset);
        }
    }

    /// <summary>The first <see cref="Dimensions"/> values of the accumulator, scaled to unit length (all zero stays zero).</summary>
    public float[] Normalized(float[] accumulator) => VectorMath.L2Normalized(accumulator.AsSpan(0, Dimensions));

    private static ulong NextRandom(ref ulong state)
    {
        state += 0x9E3779B97F4A7C15UL;
        return Mix(state);
    }

    /// <summary>SplitMix64's finaliser: a bijective mix of all 64 bits.</summary>
    private static ulong Mix(ulong z)
    {
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }

    private static Vector256<float>[] BuildSignTable()
    {
        var table = new Vector256<float>[256];
        Span<float> signs = stackalloc float[Lanes];
        for (var b = 0; b < 256; b++)
        {
            for (var bit = 0; bit < Lanes; bit++) signs[bit] = (b >> bit & 1) == 0 ? 1f : -1f;
            table[b] = Vector256.Create<float>(signs);
        }
        return table;
    }
}
