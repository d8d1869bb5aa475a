namespace PipelineFunctions.Infrastructure.Embeddings;

/// <summary>Vector helpers shared by both generators. Sums run in double and in index order, so results are reproducible.</summary>
internal static class VectorMath
{
    /// <summary>A copy scaled to Euclidean length 1; an all-zero vector stays all zero (it has no direction).</summary>
    public static float[] L2Normalized(ReadOnlySpan<float> vector)
    {
        var result = vector.ToArray();
        var norm = L2Norm(vector);
        if (norm == 0) return result;
        if (!double.IsFinite(norm))
            throw new ArgumentException("The vector has a non-finite component.", nameof(vector));
        for (var i = 0; i < result.Length; i++) result[i] = (float)(result[i] / norm);
        return result;
    }

    public static double L2Norm(ReadOnlySpan<float> vector)
    {
        var sumOfSquares = 0.0;
        foreach (var value in vector) sumOfSquares += (double)value * value;
        return Math.Sqrt(sumOfSquares);
    }

    /// <summary>Cosine similarity; 0 when either vector is all zero.</summary>
    public static double Cosine(ReadOnlySpan<float> a, ReadOnlySpan<float> b)
    {
        if (a.Length != b.Length) throw new ArgumentException($"Vectors differ in length ({a.Length} vs {b.Length}).");
        double dot = 0, normA = 0, normB = 0;
        for (var i = 0; i < a.Length; i++)
        {
            dot += (double)a[i] * b[i];
            normA += (double)a[i] * a[i];
            normB += (double)b[i] * b[i];
        }
        return normA == 0 || normB == 0 ? 0 : dot / Math.Sqrt(normA * normB);
    }
}
