using System.Text;

namespace PipelineFunctions.Core.Inputs;

/// <summary>The normalisations the reference system matches on, in one place so every step agrees.</summary>
public static class TextKeys
{
    /// <summary>Session title lower-cased with every non-alphanumeric removed: how seminars, scans and duplicates are matched.</summary>
    public static string KeyText(string title)
    {
        var builder = new StringBuilder(title.Length);
        foreach (var c in title)
            if (char.IsLetterOrDigit(c)) builder.Append(char.ToLowerInvariant(c));
        return builder.ToString();
    }

    /// <summary>Demographic question text as a column name: lower-cased, punctuation stripped, spaces to underscores
    /// ("What type does your practice specialise in?" -> what_type_does_your_practice_specialise_in).</summary>
    public static string QuestionColumn(string question)
    {
        var builder = new StringBuilder(question.Length);
        var pendingUnderscore = false;
        foreach (var c in question.Trim())
        {
            if (char.IsWhiteSpace(c)) { pendingUnderscore = builder.Length > 0; continue; }
            if (!char.IsLetterOrDigit(c) && c != '_') continue;
            if (pendingUnderscore) { builder.Append('_'); pendingUnderscore = false; }
            builder.Append(char.ToLowerInvariant(c));
        }
        return builder.ToString();
    }

    /// <summary>lower(forename)_lower(surname)_lower(email): the same person across years, whose badge id changes.</summary>
    /// <remarks>Built as one string, lower-cased straight into it: every visitor has one, and three lower-cased copies per visitor
    /// plus the joined one were a visible share of step 1's allocations.</remarks>
    public static string VisitorIdentity(string forename, string surname, string email)
    {
        var length = forename.AsSpan().Trim().Length + surname.AsSpan().Trim().Length + email.AsSpan().Trim().Length + 2;
        return string.Create(length, (forename, surname, email), static (chars, parts) =>
        {
            var at = 0;
            foreach (var part in (ReadOnlySpan<string>)[parts.forename, parts.surname, parts.email])
            {
                if (at > 0) chars[at++] = '_';
                at += part.AsSpan().Trim().ToLowerInvariant(chars[at..]);
            }
        });
    }

    /// <summary>Company names compared for the practices lookup: case, punctuation and repeated spaces ignored.</summary>
    public static string CompanyKey(string company)
    {
        var builder = new StringBuilder(company.Length);
        var space = false;
        foreach (var c in company)
        {
            if (char.IsLetterOrDigit(c))
            {
                if (space && builder.Length > 0) builder.Append(' ');
                builder.Append(char.ToLowerInvariant(c));
                space = false;
            }
            else space = true;
        }
        return builder.ToString();
    }

    /// <summary>Splits a multi-value field ("Small Animal; Surgery") into trimmed, non-empty parts.</summary>
    public static IEnumerable<string> SplitList(string value) =>
        value.Split(';', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
}
