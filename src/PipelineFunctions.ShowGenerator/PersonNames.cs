namespace PipelineFunctions.ShowGenerator;

/// <summary>Name pools for generated people and company names. A few accents and apostrophes on purpose.</summary>
internal static class PersonNames
{
    public static readonly IReadOnlyList<string> Forenames =
    [
        "Olivia", "Amelia", "Isla", "Ava", "Mia", "Ivy", "Lily", "Isabella", "Sophia", "Grace", "Freya", "Emily", "Poppy", "Ella",
        "Evie", "Charlotte", "Florence", "Alice", "Rosie", "Sophie", "Harriet", "Lucy", "Hannah", "Jessica", "Katie", "Laura",
        "Rachel", "Sarah", "Emma", "Claire", "Helen", "Louise", "Rebecca", "Victoria", "Natalie", "Amy", "Jennifer", "Nicola",
        "Kirsty", "Gemma", "Hayley", "Joanne", "Catherine", "Eleanor", "Megan", "Abigail", "Beth", "Chloe", "Zoe", "Jane",
        "Anna", "Maria", "Priya", "Aisha", "Fatima", "Mei", "Ngozi", "Siobhan", "Aoife", "Niamh", "Ciara", "Zoë", "Chloé",
        "Noah", "Oliver", "George", "Arthur", "Leo", "Harry", "Oscar", "Archie", "Henry", "Jack", "Charlie", "Freddie",
        "Thomas", "James", "William", "Alexander", "Joshua", "Daniel", "Samuel", "Benjamin", "Matthew", "David", "Andrew",
        "Richard", "Michael", "Christopher", "Robert", "Paul", "Mark", "Stephen", "Peter", "John", "Simon", "Jonathan",
        "Edward", "Luke", "Adam", "Ryan", "Liam", "Callum", "Ewan", "Rhys", "Owen", "Dylan", "Gareth", "Sean", "Ciaran",
        "Raj", "Arjun", "Mohammed", "Omar", "Ali", "Wei", "Kwame", "Tomasz", "Piotr", "Lukas", "Marco", "Luca", "José",
        "Pablo", "Javier", "Pierre", "Hugo", "Sven", "Lars", "Jan", "Pieter", "Andrea", "Elena", "Sofia", "Ingrid", "Anja",
    ];

    public static readonly IReadOnlyList<string> Surnames =
    [
        "Smith", "Jones", "Williams", "Taylor", "Brown", "Davies", "Evans", "Wilson", "Thomas", "Johnson", "Roberts", "Robinson",
        "Thompson", "Wright", "Walker", "White", "Edwards", "Hughes", "Green", "Hall", "Lewis", "Harris", "Clarke", "Patel",
        "Jackson", "Wood", "Turner", "Martin", "Cooper", "Hill", "Ward", "Morris", "Moore", "Clark", "Lee", "King", "Baker",
        "Harrison", "Morgan", "Allen", "James", "Scott", "Phillips", "Watson", "Davis", "Parker", "Price", "Bennett", "Young",
        "Griffiths", "Mitchell", "Kelly", "Cook", "Carter", "Richardson", "Bailey", "Collins", "Bell", "Shaw", "Murphy",
        "Miller", "Cox", "Richards", "Khan", "Marshall", "Anderson", "Simpson", "Ellis", "Adams", "Singh", "Begum", "Wilkinson",
        "Foster", "Chapman", "Powell", "Webb", "Rogers", "Gray", "Mason", "Ali", "Hunt", "Hussain", "Campbell", "Matthews",
        "Owen", "Palmer", "Holmes", "Mills", "Barnes", "Knight", "Lloyd", "Butler", "Russell", "Barker", "Fisher", "Stevens",
        "Jenkins", "Murray", "Dixon", "Harvey", "Graham", "Pearson", "Ahmed", "Fletcher", "Walsh", "Kaur", "Gibson", "Howard",
        "Andrews", "Stewart", "Elliott", "Reynolds", "Saunders", "Payne", "Fox", "Ford", "Pearce", "Day", "Brooks", "West",
        "Lawrence", "Cole", "Atkinson", "Bradley", "Spencer", "Gill", "Dawson", "Ball", "Burton", "O'Brien", "Watts", "Rose",
        "Booth", "Perry", "Ryan", "Grant", "Wells", "Armstrong", "Francis", "Rees", "Hayes", "Hart", "Hudson", "Newman",
        "Barrett", "Webster", "Hunter", "Gregory", "Carr", "Lowe", "Page", "Marsh", "Riley", "Dunn", "Woods", "Parsons",
        "Berry", "Stone", "Reid", "Holland", "Hawkins", "Harding", "Porter", "Robertson", "Newton", "Oliver", "Reed",
        "Kennedy", "Williamson", "Bird", "Gardner", "Shah", "Dean", "Lane", "Cooke", "Bates", "Henderson", "Parry",
        "Burgess", "Bishop", "Walton", "Burns", "Nicholson", "Shepherd", "Ross", "Cross", "Long", "Freeman", "Warren",
        "Nicholls", "Hamilton", "Byrne", "Sutton", "McDonald", "Yates", "Hodgson", "Robson", "Curtis", "Hopkins",
        "O'Connor", "D'Souza", "MacLeod", "McKenzie", "Nowak", "Kowalski", "Schmidt", "Müller", "García", "Rossi", "Dubois",
        "van der Berg", "Jansen", "Nielsen", "Okafor", "Mensah", "Chen", "Wang", "Nguyen", "Kim", "Tanaka", "Costa",
    ];

    public static readonly IReadOnlyList<string> Towns =
    [
        "Reading", "Guildford", "Oxford", "Cambridge", "Norwich", "Ipswich", "Colchester", "Chelmsford", "Bedford", "Luton",
        "Northampton", "Leicester", "Nottingham", "Derby", "Lincoln", "Sheffield", "Leeds", "York", "Harrogate", "Hull",
        "Newcastle", "Durham", "Carlisle", "Kendal", "Lancaster", "Preston", "Chester", "Shrewsbury", "Hereford", "Worcester",
        "Gloucester", "Cheltenham", "Bath", "Bristol", "Exeter", "Taunton", "Truro", "Plymouth", "Salisbury", "Winchester",
        "Southampton", "Brighton", "Chichester", "Canterbury", "Maidstone", "Tunbridge Wells", "Horsham", "Cardiff", "Swansea",
        "Newport", "Wrexham", "Aberystwyth", "Edinburgh", "Glasgow", "Aberdeen", "Dundee", "Inverness", "Stirling", "Belfast",
        "Armagh", "Dublin", "Cork", "Galway", "Kilkenny", "Stafford", "Stoke", "Telford", "Warwick", "Banbury", "Newmarket",
    ];

    public static readonly IReadOnlyList<string> PlaceWords =
    [
        "Oakwood", "Riverside", "Castle", "Meadow", "Orchard", "Abbey", "Bridge", "Park", "Hillside", "Westgate", "Northgate",
        "Willow", "Beech", "Cedar", "Elm", "Holly", "Kingsway", "Priory", "Station", "Market", "Valley", "Brook", "Fairfield",
        "Greenacres", "Highfield", "Rosewood", "Ashgrove", "Lakeside", "Millbrook", "Heathfield", "Oak Tree", "Chestnut",
        "Foxhill", "Hawthorn", "Linden", "Moorland", "Springfield", "Woodland", "Thornbury", "Parkside",
    ];

    /// <summary>Email-safe lower-case ASCII form of a name part: "O'Brien" -> obrien, "Zoë" -> zoe, "van der Berg" -> vanderberg.</summary>
    public static string EmailPart(string name)
    {
        var builder = new System.Text.StringBuilder(name.Length);
        foreach (var c in name)
        {
            var plain = c switch
            {
                'ë' or 'é' or 'è' or 'ê' => 'e',
                'ü' or 'ú' => 'u',
                'á' or 'à' or 'ä' => 'a',
                'í' or 'ï' => 'i',
                'ó' or 'ö' => 'o',
                'ç' => 'c',
                _ => c,
            };
            if (char.IsAsciiLetterOrDigit(plain)) builder.Append(char.ToLowerInvariant(plain));
        }
        return builder.ToString();
    }
}
