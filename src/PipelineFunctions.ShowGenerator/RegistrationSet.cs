namespace PipelineFunctions.ShowGenerator;

/// <summary>The two registration exports: main (this year + past main show) and secondary (past secondary show).</summary>
internal sealed record RegistrationSet(IReadOnlyList<Registration> MainFile, IReadOnlyList<Registration> SecondaryFile)
{
    /// <summary>The first row of every visitor (valid badge type) of a configured show.</summary>
    public IEnumerable<Registration> VisitorsOf(ShowRole role) =>
        (role == ShowRole.PastSecondary ? SecondaryFile : MainFile)
        .Where(r => r.Show?.Role == role && r.IsVisitor && !r.IsRepeatRow);
}
