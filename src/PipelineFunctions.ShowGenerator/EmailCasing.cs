namespace PipelineFunctions.ShowGenerator;

/// <summary>Emails as people type them: mostly lower case, sometimes capitalised (Jane.Doe@Vets.co.uk), rarely shouting.</summary>
internal static class EmailCasing
{
    public static string Vary(Random rng, string email)
    {
        var roll = rng.NextDouble();
        if (roll < 0.78) return email;
        if (roll < 0.90) return Capitalise(email, domainToo: true);
        if (roll < 0.96) return Capitalise(email, domainToo: false);
        return email.ToUpperInvariant();
    }

    /// <summary>jane.doe@vets.co.uk -> Jane.Doe@Vets.co.uk (domainToo) or Jane.Doe@vets.co.uk; the top-level parts stay lower case.</summary>
    private static string Capitalise(string email, bool domainToo)
    {
        var at = email.IndexOf('@');
        var domainDot = at < 0 ? -1 : email.IndexOf('.', at + 1);
        var chars = email.ToCharArray();
        for (var i = 0; i < chars.Length; i++)
        {
            var startsWord = i == 0 || chars[i - 1] is '.' or '@';
            var inLocalPart = at < 0 || i < at;
            var inDomainName = at >= 0 && i > at && (domainDot < 0 || i < domainDot);
            if (startsWord && (inLocalPart || domainToo && inDomainName)) chars[i] = char.ToUpperInvariant(chars[i]);
        }
        return new string(chars);
    }
}
