using PipelineFunctions.Core.Events;
using PipelineFunctions.Core.Inputs;

namespace PipelineFunctions.ShowGenerator;

/// <summary>
/// The answers each registration gives: the config's kept questions that its show asks (job role, practice type or
/// solutions in the show's own words, organisation, extras), then three to five questions the pipeline does not keep.
/// Multi-select answers are several rows. Rows flagged as missing a job role or practice type skip that question.
/// </summary>
internal sealed class DemographicAnswerBuilder
{
    public const int MinOtherQuestions = 3, MaxOtherQuestions = 5;

    private readonly EventConfig _config;
    private readonly GenerationProfile _profile;
    private readonly Random _rng;
    private readonly IReadOnlyList<OtherQuestion> _otherQuestions;
    private readonly Dictionary<string, ExtraQuestion> _extraQuestions;

    public DemographicAnswerBuilder(EventConfig config, GenerationProfile profile, Random rng)
    {
        _config = config;
        _profile = profile;
        _rng = rng;
        var kept = new HashSet<string>(config.Registration.QuestionsToKeep.Select(TextKeys.QuestionColumn), StringComparer.Ordinal);
        _otherQuestions = profile.OtherQuestions.Where(q => !kept.Contains(TextKeys.QuestionColumn(q.Text))).ToList();
        _extraQuestions = profile.ExtraQuestions.ToDictionary(q => q.Column, StringComparer.Ordinal);
    }

    public IEnumerable<DemographicAnswer> AnswersFor(IEnumerable<Registration> registrations)
    {
        var answers = new List<(string Question, string Answer)>();
        foreach (var registration in registrations)
        {
            if (!registration.HasDemographics || registration.IsRepeatRow || registration.Show is null) continue;
            answers.Clear();
            Answer(registration, answers);
            foreach (var (question, answer) in answers)
                yield return new DemographicAnswer(registration.BadgeId, registration.ShowRef, question, answer);
        }
    }

    private void Answer(Registration registration, List<(string, string)> answers)
    {
        var person = registration.Person;
        var show = registration.Show!;
        foreach (var question in show.KeptQuestions)
        {
            var column = TextKeys.QuestionColumn(question);
            if (column == _config.Registration.JobRoleField)
            {
                if (!registration.MissingJobRole) answers.Add((question, person.Persona.JobRole));
            }
            else if (question == show.SpecialisationQuestion)
            {
                if (!registration.MissingSpecialisation)
                    foreach (var word in SpecialisationWords(show, person)) answers.Add((question, word));
            }
            else if (column == _profile.OrganisationColumn) answers.Add((question, person.Persona.Organisation));
            else if (_extraQuestions.ContainsKey(column))
                foreach (var answer in person.ExtraAnswers[column]) answers.Add((question, answer));
            else answers.Add((question, _rng.Pick(_profile.GenericAnswers)));
        }

        var otherCount = _rng.Between(Math.Min(MinOtherQuestions, _otherQuestions.Count), Math.Min(MaxOtherQuestions, _otherQuestions.Count));
        var others = _rng.PickSubsetInOrder(_otherQuestions, otherCount);
        foreach (var other in others)
            foreach (var answer in _rng.PickDistinct(other.Answers, _rng.Between(1, other.MaxAnswers)))
                answers.Add((other.Text, answer));
    }

    /// <summary>The visitor's specialisations in the show's words: "Farm" at BVA is one or two of Cattle, Dairy, Pigs, Sheep.</summary>
    private List<string> SpecialisationWords(ShowPlan show, Person person)
    {
        var words = new List<string>();
        foreach (var specialisation in person.Specialisations)
        {
            var options = show.WordsFor(specialisation);
            var chosen = options.Count == 1 ? [options[0]] : _rng.PickDistinct(options, _rng.Chance(0.7) ? 1 : 2);
            foreach (var word in chosen)
                if (!words.Contains(word)) words.Add(word);
        }
        return words;
    }
}
