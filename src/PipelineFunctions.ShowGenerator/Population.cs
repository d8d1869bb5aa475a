namespace PipelineFunctions.ShowGenerator;

/// <summary>
/// Who visits which show. This year's visitors are partly returning (the same person registered at the past main
/// show, the past secondary show or both); past shows also have visitors who do not come back.
/// </summary>
internal sealed record Population(
    IReadOnlyList<Person> ThisYear,
    IReadOnlyList<Person> PastMain,
    IReadOnlyList<Person> PastSecondary,
    int ReturningFromMainOnly,
    int ReturningFromSecondaryOnly,
    int ReturningFromBoth)
{
    public const double ReturningShare = 0.35;
    public const double PastMainScale = 0.95;
    public const double PastSecondaryScale = 0.55;
    /// <summary>Of the returning visitors: from the main show only, the secondary only, the rest from both.</summary>
    public const double ReturningMainOnlyShare = 0.5, ReturningSecondaryOnlyShare = 0.25;
    /// <summary>Past visitors of both past shows who do not return, as a share of this year's visitors.</summary>
    public const double PastBothNotReturningScale = 0.08;

    public int Returning => ReturningFromMainOnly + ReturningFromSecondaryOnly + ReturningFromBoth;

    public static Population Build(PersonFactory people, int visitors, Random rng)
    {
        var returning = (int)Math.Round(visitors * ReturningShare);
        var mainOnly = (int)Math.Round(returning * ReturningMainOnlyShare);
        var secondaryOnly = (int)Math.Round(returning * ReturningSecondaryOnlyShare);
        var both = returning - mainOnly - secondaryOnly;
        var pastMainCount = Math.Max(mainOnly + both, (int)Math.Round(visitors * PastMainScale));
        var pastSecondaryCount = Math.Max(secondaryOnly + both, (int)Math.Round(visitors * PastSecondaryScale));
        var pastMainOthers = pastMainCount - mainOnly - both;
        var pastBothOthers = Math.Min(pastMainOthers,
            Math.Min(pastSecondaryCount - secondaryOnly - both, (int)Math.Round(visitors * PastBothNotReturningScale)));
        var pastSecondaryOthers = pastSecondaryCount - secondaryOnly - both - pastBothOthers;

        List<Person> Make(int count) => Enumerable.Range(0, count).Select(_ => people.Create()).ToList();
        var newThisYear = Make(visitors - returning);
        var returningMainOnly = Make(mainOnly);
        var returningSecondaryOnly = Make(secondaryOnly);
        var returningBoth = Make(both);
        var pastMainOnly = Make(pastMainOthers - pastBothOthers);
        var pastBoth = Make(pastBothOthers);
        var pastSecondaryOnly = Make(pastSecondaryOthers);

        Person[] Mix(params List<Person>[] groups)
        {
            var all = groups.SelectMany(g => g).ToArray();
            rng.Shuffle(all);
            return all;
        }

        return new Population(
            Mix(newThisYear, returningMainOnly, returningSecondaryOnly, returningBoth),
            Mix(returningMainOnly, returningBoth, pastMainOnly, pastBoth),
            Mix(returningSecondaryOnly, returningBoth, pastBoth, pastSecondaryOnly),
            mainOnly, secondaryOnly, both);
    }
}
