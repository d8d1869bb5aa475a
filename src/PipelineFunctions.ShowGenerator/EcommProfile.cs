namespace PipelineFunctions.ShowGenerator;

/// <summary>
/// E-commerce shows (E-commerce Expo, Technology for Marketing): commerce streams, job roles, what visitors do,
/// their industry, the solutions they are interested in (the specialisation, multi-select) and why they attend.
/// </summary>
internal sealed class EcommProfile : GenerationProfile
{
    private const string Marketplaces = "Marketplaces", Payments = "Payments", Logistics = "Logistics", Experience = "Customer Experience",
        Marketing = "Marketing", Data = "AI & Data", RetailTech = "Retail Tech", CrossBorder = "Cross-border", Social = "Social Commerce",
        Sustainability = "Sustainability", Platforms = "Ecommerce Platforms";

    public override GenerationProfileKind Kind => GenerationProfileKind.Ecomm;

    public override IReadOnlyList<StreamVocabulary> Streams { get; } =
    [
        new(Marketplaces, "MP", 1.2,
            ["Amazon advertising", "marketplace expansion", "selling on eBay", "listing optimisation", "Buy Box strategy", "marketplace fees",
             "retail media", "marketplace analytics"],
            ["marketplace sellers", "brands", "third-party sellers", "growing retailers"],
            ["Sellers share what moved the needle on the big marketplaces.",
             "Learn how to win visibility, reviews and the Buy Box.",
             "Practical marketplace tactics with real numbers."],
            [CrossBorder, Marketing, RetailTech]),
        new(Payments, "PAY", 1.0,
            ["checkout conversion", "buy now pay later", "fraud prevention", "payment orchestration", "chargebacks", "digital wallets",
             "subscription billing", "open banking"],
            ["online retailers", "subscription brands", "international merchants", "marketplaces"],
            ["Payments experts explain how checkout choices change conversion.",
             "Covers fraud, authorisation rates and the cost of payments.",
             "A practical look at the payments stack of a growing merchant."],
            [CrossBorder, Experience]),
        new(Logistics, "LOG", 1.0,
            ["last-mile delivery", "returns management", "warehouse automation", "fulfilment outsourcing", "click and collect",
             "peak season planning", "delivery promises", "inventory management"],
            ["D2C brands", "multichannel retailers", "fast-growing brands", "retailers"],
            ["Operations leaders share how they deliver faster for less.",
             "Fulfilment, delivery and returns are covered end to end.",
             "Includes lessons from the last peak season."],
            [Sustainability, CrossBorder]),
        new(Experience, "CX", 1.1,
            ["personalisation", "loyalty programmes", "customer service automation", "live chat", "reviews and ratings",
             "post-purchase experience", "conversational commerce"],
            ["shoppers", "loyal customers", "D2C brands", "retailers"],
            ["Brands explain how they keep customers coming back.",
             "Service, loyalty and personalisation examples from leading retailers.",
             "Walk away with ideas to lift repeat purchase rates."],
            [Data, Marketing]),
        new(Marketing, "MKT", 1.3,
            ["email marketing", "SEO", "paid social", "influencer marketing", "content marketing", "attribution", "CRM",
             "customer acquisition costs"],
            ["D2C brands", "retailers", "growing brands", "agencies"],
            ["Marketers share the campaigns and channels that paid back.",
             "Acquisition, retention and measurement are covered with real results.",
             "A practical marketing session with takeaways for Monday morning."],
            [Social, Data, Experience]),
        new(Data, "AI", 1.2,
            ["generative AI", "product recommendations", "customer data platforms", "predictive analytics", "demand forecasting",
             "data privacy", "AI search"],
            ["retailers", "ecommerce teams", "brands", "marketplaces"],
            ["Data and AI leaders show what works in production today.",
             "From first use cases to measurable results with AI and data.",
             "Cuts through the hype with live examples."],
            [Experience, Marketing, RetailTech]),
        new(RetailTech, "RT", 0.7,
            ["unified commerce", "in-store technology", "point of sale", "inventory visibility", "retail media networks", "RFID"],
            ["store teams", "omnichannel retailers", "high street brands", "retailers"],
            ["Retailers explain how stores and online work as one.",
             "Technology for stores, stock and staff is discussed with case studies.",
             "See how leading retailers join up their channels."],
            [Data, Platforms]),
        new(CrossBorder, "XB", 0.7,
            ["international expansion", "customs and duties", "localisation", "multi-currency pricing", "post-Brexit trade", "EU VAT"],
            ["UK brands", "European markets", "US shoppers", "exporters"],
            ["Brands share how they sell across borders without the headaches.",
             "Duties, tax, delivery and localisation are covered country by country.",
             "Practical steps to test a new market."],
            [Logistics, Payments, Marketplaces]),
        new(Social, "SC", 0.8,
            ["TikTok Shop", "live shopping", "creator partnerships", "shoppable video", "community commerce", "social ads"],
            ["Gen Z shoppers", "fashion brands", "beauty brands", "creators"],
            ["Creators and brands explain how social platforms turn into sales channels.",
             "Live shopping, video and community commerce examples.",
             "What to test first on social commerce."],
            [Marketing]),
        new(Sustainability, "SUS", 0.5,
            ["sustainable packaging", "circular commerce", "resale and rental", "carbon reporting", "greener delivery"],
            ["fashion brands", "retailers", "conscious shoppers", "supply chains"],
            ["Brands share how they cut waste and carbon without losing margin.",
             "Packaging, resale and delivery choices with measured impact.",
             "A practical sustainability session for commerce teams."],
            [Logistics]),
        new(Platforms, "PLT", 0.9,
            ["headless commerce", "platform migration", "composable commerce", "site speed", "mobile apps", "B2B ecommerce"],
            ["mid-market brands", "enterprise retailers", "B2B sellers", "development teams"],
            ["Technical leaders explain how they chose and run their commerce platform.",
             "Architecture, migration and performance lessons from real projects.",
             "For teams planning their next replatform."],
            [RetailTech, Data, Payments]),
    ];

    public override IReadOnlyList<JobRoleOption> JobRoles { get; } =
    [
        new("C-Level / Founder", 10, Affinity((Data, 0.5), (CrossBorder, 0.5), (Marketplaces, 0.4), (Sustainability, 0.3)),
            ["CEO", "Founder", "Co-Founder", "Managing Director"]),
        new("Director", 12, Affinity((Marketing, 0.5), (Experience, 0.5), (Data, 0.4)),
            ["Ecommerce Director", "Digital Director", "Marketing Director", "Commercial Director"]),
        new("Head of / Manager", 25, Affinity((Experience, 0.5), (Marketing, 0.5), (Platforms, 0.4)),
            ["Head of Ecommerce", "Ecommerce Manager", "Digital Marketing Manager", "Head of Digital", "CRM Manager"]),
        new("Executive / Specialist", 18, Affinity((Marketplaces, 0.6), (Marketing, 0.5), (Social, 0.5)),
            ["Ecommerce Executive", "Marketplace Executive", "Digital Marketing Executive", "SEO Specialist", "Social Media Executive"]),
        new("Developer / Engineer", 8, Affinity((Platforms, 1.0), (Data, 0.6), (RetailTech, 0.5), (Payments, 0.4)),
            ["Software Engineer", "Developer", "Solutions Architect", "CTO"]),
        new("Operations / Logistics", 10, Affinity((Logistics, 1.0), (CrossBorder, 0.5), (Sustainability, 0.4)),
            ["Head of Operations", "Logistics Manager", "Fulfilment Manager", "Supply Chain Manager"]),
        new("Consultant", 6, Affinity((Data, 0.5), (RetailTech, 0.5), (CrossBorder, 0.4)),
            ["Consultant", "Ecommerce Consultant", "Freelance Consultant"]),
        new("Finance / Payments", 5, Affinity((Payments, 1.0), (CrossBorder, 0.4)),
            ["Finance Director", "Payments Manager", "Head of Payments"]),
        new("Student", 3, Affinity((Social, 0.5), (Marketing, 0.5), (Data, 0.4)), ["Student", "Graduate"]),
        new("Other", 3, Affinity((Marketing, 0.5), (Experience, 0.5)), ["Business Owner", "Buyer", "Analyst"]),
    ];

    public override IReadOnlyList<AnswerOption> Specialisations { get; } =
    [
        new("Marketplace Integration", 9, Affinity((Marketplaces, 1.0))),
        new("Payment Gateways", 7, Affinity((Payments, 1.0))),
        new("Fraud Prevention", 4, Affinity((Payments, 0.8), (Data, 0.3))),
        new("Fulfilment & Warehousing", 7, Affinity((Logistics, 1.0))),
        new("Delivery & Returns", 6, Affinity((Logistics, 0.9), (Experience, 0.3))),
        new("Customer Service Platforms", 6, Affinity((Experience, 1.0))),
        new("Personalisation", 6, Affinity((Experience, 0.7), (Data, 0.5))),
        new("Email & SMS Marketing", 9, Affinity((Marketing, 1.0))),
        new("Social Commerce Tools", 6, Affinity((Social, 1.0), (Marketing, 0.4))),
        new("Analytics & BI", 8, Affinity((Data, 1.0))),
        new("Ecommerce Platform / Headless", 8, Affinity((Platforms, 1.0))),
        new("In-store Technology", 4, Affinity((RetailTech, 1.0))),
        new("International Expansion", 5, Affinity((CrossBorder, 1.0))),
        new("Sustainable Packaging", 3, Affinity((Sustainability, 1.0), (Logistics, 0.3))),
    ];

    public override IReadOnlyList<double> SpecialisationCountWeights { get; } = [35, 30, 20, 15];

    public override string OrganisationColumn => "what_best_describes_what_you_do";

    public override IReadOnlyList<AnswerOption> Organisations { get; } =
    [
        new("Retailer / Brand", 35, Affinity((Experience, 0.3), (Marketing, 0.3))),
        new("Marketplace Seller", 12, Affinity((Marketplaces, 0.7))),
        new("Agency", 12, Affinity((Marketing, 0.5), (Social, 0.3))),
        new("Technology Provider", 15, Affinity((Platforms, 0.4), (Data, 0.3))),
        new("Logistics Provider", 8, Affinity((Logistics, 0.6))),
        new("Consultant", 8, Affinity((Data, 0.2))),
        new("Investor / Analyst", 3, Affinity((Data, 0.3), (CrossBorder, 0.2))),
        new("Media", 2, Affinity((Marketing, 0.3))),
        new("Other", 5, Affinity()),
    ];

    public override IReadOnlyList<ExtraQuestion> ExtraQuestions { get; } =
    [
        new("what_is_your_industry",
            ["Fashion & Apparel", "Health & Beauty", "Electronics", "Food & Drink", "Home & Garden", "Sports & Leisure", "Toys & Gifts",
             "B2B / Wholesale", "Automotive", "Travel", "Pets", "Other"]),
        new("why_are_you_attending",
            ["Find new suppliers", "Learn about industry trends", "Networking", "Research for a project", "Attend seminars",
             "Meet existing suppliers"], 2),
    ];

    public override IReadOnlyList<OtherQuestion> OtherQuestions { get; } =
    [
        new("How did you hear about the show?",
            ["Email from the organisers", "LinkedIn", "Colleague or friend", "Trade press", "Search engine", "I attended before",
             "Exhibitor invitation"], 2),
        new("What is your purchasing authority?",
            ["Final decision maker", "Recommend or specify", "Part of a buying team", "No purchasing authority"]),
        new("Number of employees", ["1-10", "11-50", "51-250", "251-1000", "More than 1000"]),
        new("Do you consent to be contacted by partners?", ["Yes", "No"]),
        new("What is your annual online revenue?", ["Under £1m", "£1m-£10m", "£10m-£50m", "£50m-£250m", "Over £250m", "Prefer not to say"]),
        new("Which days will you attend?", ["Day 1", "Day 2", "Both days"]),
    ];

    public override IReadOnlyList<WeightedValue> Countries { get; } =
    [
        new("United Kingdom", 70), new("Ireland", 3), new("Germany", 4), new("France", 3), new("Netherlands", 3), new("United States", 5),
        new("Spain", 2), new("Italy", 2), new("Poland", 2), new("India", 2), new("China", 1), new("Sweden", 1), new("Denmark", 1),
        new("United Arab Emirates", 1),
    ];

    public override IReadOnlyList<string> FreeMailDomains { get; } = ["gmail.com", "outlook.com", "hotmail.com", "yahoo.com", "icloud.com"];
    public override string CompanyDomainSuffix => ".com";

    public override IReadOnlyList<WeightedValue> SourceChannels { get; } =
    [
        new("WEB", 50), new("EMAIL_CAMPAIGN", 15), new("PARTNER_EMAIL", 12), new("LINKEDIN", 10), new("EXHIBITOR_INVITE", 8), new("APP", 5),
    ];

    public override string MainTheatreName => "Keynote Theatre";

    public override IReadOnlyList<string> SponsorCompanies { get; } =
    [
        "Paylane", "ShipSmart", "CartCloud", "Brightlytics", "Parcelwise", "Checkoutly", "RetailOS", "Loopback Returns",
    ];

    public override IReadOnlyList<string> TitleTemplates { get; } =
    [
        "{Topic}: lessons from {subject}", "How {subject} are winning with {topic}", "The future of {topic}", "{Topic}: what's changed?",
        "Scaling {topic} for {subject}", "{Topic} masterclass", "Getting {topic} right", "{Topic}: a playbook for {audience}",
        "Panel: {topic} and {subject}", "From pilot to profit: {topic}", "Why {topic} matters for {subject}",
        "{Topic} and {focus}: where to start", "Case study: {topic} at scale", "Fixing {topic} - a practical guide",
        "The numbers behind {topic}", "{Topic} without the hype", "Five experiments in {topic}", "{Topic} for {subject}: what we learned",
    ];

    public override IReadOnlyList<string> SynopsisOpeners { get; } =
    [
        "This session looks at {topic} for {subject}, with a focus on {focus}.",
        "How {subject} get {topic} right, and where {focus} fits in.",
        "A practical look at {topic} for {subject}, including {focus}.",
        "{Topic} is where many {subject} leave money on the table.",
        "What separates the leaders in {topic} from everyone else?",
        "Three {subject} open their books on {topic}.",
        "Budgets are tight, so {topic} has to pay its way.",
        "Our panel debates {topic} and what it means for {subject}.",
        "Every year brings new promises about {topic}; this session checks them against results.",
        "Learn how {subject} built {topic} into their plans, and how {focus} helped.",
        "Starting from zero, one brand shares its journey with {topic}.",
        "Is {topic} worth it for {subject}? The speakers answer with data.",
        "From the first test to rollout, {topic} explained by people who did it.",
        "Why {topic} is back at the top of the agenda for {subject}.",
    ];

    public override IReadOnlyList<string> SynopsisMiddles { get; } =
    [
        "Time is set aside for {focus}.", "Expect numbers, not slogans.", "The speakers show what failed as well as what worked.",
        "Tools, budgets and team set-ups are compared.", "You will see the metrics they track every week.",
        "The discussion covers build, buy and partner options.", "Benchmarks from {subject} are shared.",
        "The speakers compare notes with {subject} on {focus}.", "Expect candid numbers from {subject}.",
        "One slide shows what {focus} did to their margins.",
    ];

    public override IReadOnlyList<string> SynopsisClosers { get; } =
    [
        "Aimed at {audience}.", "Suitable for {audience}.", "Includes live Q&A.", "Slides shared after the session.",
        "A panel with practitioners, not vendors.", "For {audience} who want to move faster.", "Bring your questions on {focus}.",
        "Ideal for {audience} planning next year.",
    ];

    public override IReadOnlyList<string> Audiences { get; } =
        ["ecommerce managers", "growing brands", "marketplace sellers", "D2C brands", "retail leaders", "marketers"];

    public override IReadOnlyDictionary<string, string[]> TopicWordings => EcommTopicWordings.All;

    public override bool CompanyHasSpecialisation => false;

    private static readonly string[] StemStarts =
        ["North", "Blue", "Bright", "Silver", "Red", "Green", "Swift", "Clear", "Urban", "Peak", "Star", "Oak", "River", "Cloud", "Pixel",
         "Nova", "True", "Bold", "Fresh", "Prime", "Wild", "Sun", "Iron", "Kind", "Little"];
    private static readonly string[] StemEnds =
        ["wind", "peak", "line", "gate", "field", "stone", "wave", "path", "bridge", "light", "works", "nest", "mark", "leaf", "port", "fox"];

    private static readonly IReadOnlyDictionary<string, string[]> OrganisationSuffixes = new Dictionary<string, string[]>(StringComparer.Ordinal)
    {
        ["Retailer / Brand"] = ["Fashion", "Home", "Beauty", "Outdoors", "Living", "& Co", "Ltd", "Clothing", "Pets"],
        ["Marketplace Seller"] = ["Trading Ltd", "Direct", "Goods", "Supplies"],
        ["Agency"] = ["Digital", "Agency", "Creative", "Media Lab"],
        ["Technology Provider"] = ["Technologies", "Software", "Labs", "Systems", "Cloud"],
        ["Logistics Provider"] = ["Logistics", "Fulfilment", "Couriers", "Freight"],
        ["Consultant"] = ["Consulting", "Advisory"],
        ["Investor / Analyst"] = ["Capital", "Partners", "Research"],
        ["Media"] = ["Media", "Publishing"],
    };

    public override string CompanyName(Random rng, string organisation, string? specialisation)
    {
        var suffixes = OrganisationSuffixes.GetValueOrDefault(organisation) ?? ["Group", "Ltd"];
        if (organisation == "Consultant" && rng.Chance(0.4)) return $"{rng.Pick(PersonNames.Surnames)} {rng.Pick(suffixes)}";
        return $"{rng.Pick(StemStarts)}{rng.Pick(StemEnds)} {rng.Pick(suffixes)}";
    }
}
