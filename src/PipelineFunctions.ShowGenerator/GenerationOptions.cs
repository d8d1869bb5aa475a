namespace PipelineFunctions.ShowGenerator;

/// <summary>What `pa generate` was asked for.</summary>
/// <param name="Visitors">This year's visitors (valid badge types); past shows scale from it.</param>
/// <param name="Seed">Seed of the one <see cref="Random"/> every choice is drawn from.</param>
/// <param name="Profile">Vocabulary; null: vet when the config has vet business rules, else e-commerce.</param>
public sealed record GenerationOptions(
    int Visitors = GenerationOptions.DefaultVisitors, int Seed = GenerationOptions.DefaultSeed, GenerationProfileKind? Profile = null)
{
    public const int DefaultVisitors = 2000;
    public const int DefaultSeed = 42;
    public const int MinVisitors = 10;
    public const int MaxVisitors = 1_000_000;
}
