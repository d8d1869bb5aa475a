namespace PipelineFunctions.ShowGenerator;

/// <summary>Badge ids: 8-10 upper-case letters and digits, never handed out twice (a person gets a new one every show).</summary>
internal sealed class BadgeIdFactory(Random rng)
{
    private const string Alphabet = "ABCDEFGHJKLMNPQRSTUVWXYZ0123456789";
    private readonly HashSet<string> _issued = new(StringComparer.Ordinal);

    public string Next()
    {
        while (true)
        {
            var length = rng.Between(8, 10);
            var chars = new char[length];
            for (var i = 0; i < length; i++) chars[i] = Alphabet[rng.Next(Alphabet.Length)];
            var id = new string(chars);
            if (_issued.Add(id)) return id;
        }
    }
}
