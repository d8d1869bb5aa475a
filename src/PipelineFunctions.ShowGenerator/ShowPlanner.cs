using System.Globalization;
using PipelineFunctions.Core;
using PipelineFunctions.Core.Events;
using PipelineFunctions.Core.Inputs;

namespace PipelineFunctions.ShowGenerator;

/// <summary>Derives the three <see cref="ShowPlan"/>s from an event config.</summary>
internal static class ShowPlanner
{
    public static IReadOnlyList<ShowPlan> Plan(EventConfig config)
    {
        var ev = config.Event;
        RequireShows(config, ev.ShowsLastYearMain, "event.shows_last_year_main");
        RequireShows(config, ev.ShowsLastYearSecondary, "event.shows_last_year_secondary");
        var dayCount = ev.EndDate is { } end && end > ev.Date ? Math.Min(3, end.DayNumber - ev.Date.DayNumber + 1) : 2;
        var pastMainDate = ev.Date.AddYears(-1);
        var secondaryDate = SecondaryDate(ev.Date, ev.ShowsLastYearSecondary[0]);
        var fields = config.Registration.PracticeTypeFields;
        var maps = config.Streams.SpecialisationMaps;
        return
        [
            Build(config, ShowRole.ThisYear, ev.ShowsThisYear, ev.Date, dayCount,
                fields.ThisYear, [fields.PastMain, fields.PastSecondary], maps.ThisYear),
            Build(config, ShowRole.PastMain, ev.ShowsLastYearMain, pastMainDate, dayCount,
                fields.PastMain, [fields.ThisYear, fields.PastSecondary], maps.PastMain),
            Build(config, ShowRole.PastSecondary, ev.ShowsLastYearSecondary, secondaryDate, dayCount,
                fields.PastSecondary, [fields.ThisYear, fields.PastMain], maps.PastSecondary),
        ];
    }

    private static void RequireShows(EventConfig config, IReadOnlyList<string> shows, string keyPath)
    {
        if (shows.Count == 0 || shows.Any(string.IsNullOrWhiteSpace))
            throw new PipelineInputException(config.SourcePath,
                "pa generate writes a past show's data under its show ref: list at least one", field: keyPath);
    }

    /// <summary>
    /// The partner show sits about six months before this year's event; its ref's two-digit year (BVA25, TFM24) wins
    /// when it is within a year of that guess.
    /// </summary>
    internal static DateOnly SecondaryDate(DateOnly eventDate, string showRef)
    {
        var guess = eventDate.AddMonths(-6);
        var digits = new string(showRef.Reverse().TakeWhile(char.IsAsciiDigit).Reverse().ToArray());
        if (digits.Length is 2 or 4 && int.TryParse(digits, NumberStyles.None, CultureInfo.InvariantCulture, out var year))
        {
            if (digits.Length == 2) year += 2000;
            if (Math.Abs(year - guess.Year) <= 1 && year != guess.Year)
                return new DateOnly(year, guess.Month, Math.Min(guess.Day, DateTime.DaysInMonth(year, guess.Month)));
        }
        return guess;
    }

    private static ShowPlan Build(EventConfig config, ShowRole role, IReadOnlyList<string> refs, DateOnly firstDay, int dayCount,
        string? ownField, IReadOnlyList<string?> otherFields, IReadOnlyDictionary<string, string> map)
    {
        var asked = new List<string>();
        string? specialisationQuestion = null;
        foreach (var question in config.Registration.QuestionsToKeep)
        {
            var column = TextKeys.QuestionColumn(question);
            if (column == ownField)
            {
                specialisationQuestion ??= question;
                asked.Add(question);
            }
            else if (!otherFields.Contains(column)) asked.Add(question);
        }

        var words = new SortedDictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal);
        foreach (var group in map.OrderBy(p => p.Key, StringComparer.Ordinal).GroupBy(p => p.Value, StringComparer.Ordinal))
            words[group.Key] = group.Select(p => p.Key).ToList();

        var days = Enumerable.Range(0, dayCount).Select(firstDay.AddDays).ToList();
        return new ShowPlan(role, refs.ToList(), days, asked, specialisationQuestion, words);
    }
}
