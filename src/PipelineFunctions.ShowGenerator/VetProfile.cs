namespace PipelineFunctions.ShowGenerator;

/// <summary>
/// Veterinary shows (London Vet Show, BVA Live): clinical streams, vet and nurse roles, practice types and
/// organisation types. Affinities follow the reference's business rules: nurses lean to Nursing, Wellbeing and
/// Welfare; vets never to Nursing; equine practices to Equine; small animal practices to Small Animal.
/// </summary>
internal sealed class VetProfile : GenerationProfile
{
    private const string SmallAnimal = "Small Animal", Equine = "Equine", Farm = "Farm", Exotics = "Exotics", Feline = "Feline",
        Nursing = "Nursing", Wellbeing = "Wellbeing", Welfare = "Welfare", Surgery = "Surgery", Dentistry = "Dentistry",
        Emergency = "Emergency & Critical Care", Management = "Practice Management", Cardiology = "Cardiology",
        Dermatology = "Dermatology", Anaesthesia = "Anaesthesia", Imaging = "Imaging";

    public override GenerationProfileKind Kind => GenerationProfileKind.Vet;

    public override IReadOnlyList<StreamVocabulary> Streams { get; } =
    [
        new(SmallAnimal, "SA", 1.6,
            ["chronic kidney disease", "canine osteoarthritis", "diabetes mellitus", "hypoadrenocorticism", "chronic enteropathy",
             "vomiting and diarrhoea", "obesity management", "canine pancreatitis", "brachycephalic airway syndrome", "endocrine disease",
             "lameness investigation", "chronic pain", "urinary incontinence", "canine epilepsy"],
            ["dogs", "cats", "the senior dog", "puppies and kittens", "brachycephalic breeds", "the geriatric patient", "first opinion practice"],
            ["Speakers share practical cases from first opinion small animal practice.",
             "Expect clear diagnostic plans and treatment options for dogs and cats.",
             "The session closes with a case-based discussion of common presentations."],
            [Feline, Surgery, Dermatology, Cardiology, Imaging]),
        new(Equine, "EQ", 0.9,
            ["equine lameness", "laminitis", "colic", "equine asthma", "sarcoids", "equine metabolic syndrome", "poor performance",
             "foal medicine", "pre-purchase examinations", "hoof care", "equine wound management", "equine gastric ulcers"],
            ["horses", "sport horses", "ponies", "foals", "the leisure horse", "donkeys", "the ambulatory equine practice"],
            ["Speakers draw on cases from busy equine practice.",
             "The talk covers yard visits, field diagnostics and when to refer the horse.",
             "Practical tips for the ambulatory equine vet are included throughout."],
            [Surgery, Imaging, Dentistry, Anaesthesia]),
        new(Farm, "FA", 0.8,
            ["herd health planning", "bovine TB", "mastitis control", "lameness in dairy cattle", "calf pneumonia", "sheep scab",
             "parasite control", "antimicrobial stewardship", "fertility management", "biosecurity", "Johne's disease", "lambing losses"],
            ["dairy herds", "beef cattle", "sheep flocks", "pig units", "smallholders", "calves", "the farm animal practice"],
            ["Speakers bring data and practical experience from farm animal practice.",
             "Herd health, production and farmer engagement are discussed with real examples.",
             "The session suits vets who visit farms and advise on livestock health."],
            [Welfare, Management]),
        new(Exotics, "EX", 0.6,
            ["reptile husbandry", "rabbit dentistry", "avian medicine", "exotic anaesthesia", "metabolic bone disease",
             "guinea pig medicine", "ferret medicine", "chelonian medicine", "rabbit gut stasis", "exotic pet nutrition"],
            ["rabbits", "reptiles", "birds", "small mammals", "tortoises", "chinchillas", "exotic pets"],
            ["Speakers cover handling, husbandry and medicine of exotic species.",
             "Common presentations of rabbits, reptiles and birds are worked through step by step.",
             "Ideal for first opinion vets who see the occasional exotic patient."],
            [Anaesthesia, SmallAnimal, Welfare]),
        new(Feline, "FE", 0.8,
            ["feline hyperthyroidism", "cat friendly handling", "feline chronic kidney disease", "feline diabetes", "FIP treatment",
             "feline behaviour problems", "cat friendly clinics", "feline lower urinary tract disease", "feline dental disease"],
            ["cats", "senior cats", "indoor cats", "multi-cat households", "kittens", "shelter cats"],
            ["The session is dedicated to the medicine and welfare of cats.",
             "Speakers explain how to make every visit less stressful for the feline patient.",
             "Practical feline cases illustrate diagnosis and long-term management."],
            [SmallAnimal, Welfare]),
        new(Nursing, "NU", 1.4,
            ["nurse clinics", "patient monitoring", "fluid therapy", "wound management", "nutritional support", "infection control",
             "nurse-led anaesthesia", "post-operative care", "triage", "client communication", "dental nursing", "medication administration"],
            ["hospitalised patients", "the recovery ward", "the critical patient", "the nurse consult", "surgical patients", "the elderly patient"],
            ["A session by nurses for nurses, focused on hands-on veterinary nursing skills.",
             "Patient care, monitoring and nursing protocols are covered with worked examples.",
             "Registered veterinary nurses and student nurses will take away practical nursing tips."],
            [Anaesthesia, Emergency, Wellbeing]),
        new(Wellbeing, "WB", 1.0,
            ["burnout", "resilience", "compassion fatigue", "imposter syndrome", "workload and boundaries", "mental health first aid",
             "moral injury", "sleep and shift work", "psychological safety", "career sustainability"],
            ["the veterinary team", "new graduates", "clinical leaders", "nurses", "night staff", "locums"],
            ["The speakers talk openly about mental health and wellbeing in the veterinary team.",
             "Practical tools for resilience and a sustainable career are shared.",
             "Suitable for every member of the practice team."],
            [Management, Nursing]),
        new(Welfare, "WF", 0.9,
            ["animal welfare assessment", "the Animal Welfare Act", "end-of-life decisions", "euthanasia", "welfare at slaughter",
             "breeding and welfare", "puppy farming", "welfare in transport", "quality of life scoring", "welfare of working animals"],
            ["companion animals", "farm animals", "working animals", "shelter animals", "exotic pets", "horses"],
            ["The session explores animal welfare science, ethics and the law.",
             "Speakers discuss difficult welfare decisions with real cases.",
             "A thought-provoking look at the vet's role as an advocate for animal welfare."],
            [Farm, Feline, Exotics]),
        new(Surgery, "SU", 1.3,
            ["soft tissue surgery", "orthopaedic surgery", "cruciate ligament rupture", "wound reconstruction", "abdominal surgery",
             "fracture repair", "minimally invasive surgery", "surgical site infection", "splenectomy", "surgical oncology"],
            ["dogs", "cats", "the emergency patient", "referral cases", "first opinion practice", "horses"],
            ["Surgical techniques are shown step by step with video and case outcomes.",
             "Speakers discuss when to operate, when to refer and how to avoid complications.",
             "A practical surgery session for vets who want to extend their skills."],
            [Anaesthesia, SmallAnimal, Imaging]),
        new(Dentistry, "DE", 0.6,
            ["dental radiography", "extraction techniques", "periodontal disease", "tooth resorption", "oral tumours",
             "dental nerve blocks", "jaw fractures", "dental charting"],
            ["dogs", "cats", "rabbits", "horses", "the older patient"],
            ["A practical dentistry session covering the mouth from charting to extraction.",
             "Speakers show dental radiographs and discuss treatment planning.",
             "Oral health cases illustrate common mistakes and how to avoid them."],
            [Anaesthesia, SmallAnimal, Exotics]),
        new(Emergency, "ECC", 1.0,
            ["shock", "trauma triage", "toxicities", "blood transfusion", "CPR", "acute kidney injury", "sepsis", "respiratory distress",
             "out-of-hours care", "gastric dilatation-volvulus"],
            ["the collapsed patient", "the emergency room", "dogs and cats", "the critical care unit", "the night shift"],
            ["Emergency and critical care cases are worked through from triage to stabilisation.",
             "Speakers share protocols for the first hour of the emergency patient.",
             "Essential for anyone working out of hours."],
            [Nursing, Anaesthesia, SmallAnimal]),
        new(Management, "PM", 1.0,
            ["client communication", "recruitment and retention", "pricing", "practice finances", "leadership", "clinical governance",
             "team culture", "client experience", "telemedicine", "digital marketing", "practice growth"],
            ["independent practices", "growing practices", "corporate groups", "multi-site practices", "the practice team"],
            ["A business session for owners, managers and clinical leaders.",
             "Speakers share what has worked in real practices, with numbers.",
             "Leave with an action plan for your practice."],
            [Wellbeing]),
        new(Cardiology, "CA", 0.7,
            ["heart murmurs", "congestive heart failure", "arrhythmias", "echocardiography", "mitral valve disease",
             "feline cardiomyopathy", "blood pressure measurement", "ECG interpretation"],
            ["dogs", "cats", "the coughing dog", "the breathless cat", "the senior patient"],
            ["Cardiology made practical: from the murmur on auscultation to the treatment plan.",
             "Speakers interpret ECGs and echo images from first opinion cases.",
             "The session covers when to start treatment and how to monitor it."],
            [Imaging, SmallAnimal, Feline]),
        new(Dermatology, "DM", 0.7,
            ["atopic dermatitis", "otitis externa", "pyoderma", "allergy testing", "pruritus", "ectoparasites", "food allergy",
             "ear disease", "alopecia"],
            ["dogs", "cats", "itchy dogs", "puppies", "rabbits"],
            ["A dermatology session on the itchy patient and the chronic ear.",
             "Speakers cover diagnostics, cytology and long-term management.",
             "Cases show how to keep owners on board with treatment."],
            [SmallAnimal, Feline]),
        new(Anaesthesia, "AN", 0.8,
            ["anaesthetic monitoring", "analgesia", "local anaesthetic techniques", "sedation protocols", "ventilation",
             "high-risk anaesthesia", "anaesthetic emergencies", "capnography"],
            ["dogs and cats", "brachycephalic dogs", "the geriatric patient", "horses", "exotic pets"],
            ["Anaesthesia and analgesia protocols are discussed with real monitoring traces.",
             "Speakers explain how to plan for and manage the high-risk patient.",
             "Useful for vets and nurses who anaesthetise every day."],
            [Nursing, Surgery, Emergency]),
        new(Imaging, "IM", 0.7,
            ["thoracic radiography", "abdominal ultrasound", "CT", "MRI", "point-of-care ultrasound", "radiation safety",
             "musculoskeletal imaging", "contrast studies"],
            ["dogs", "cats", "horses", "the trauma patient", "the acute abdomen"],
            ["Diagnostic imaging cases are reviewed image by image.",
             "Speakers show how to get diagnostic images and avoid common artefacts.",
             "Bring your own questions for the interactive image quiz."],
            [Cardiology, Surgery, Equine]),
    ];

    public override IReadOnlyList<JobRoleOption> JobRoles { get; } =
    [
        new("Vet/Vet Surgeon", 28,
            Affinity((SmallAnimal, 0.6), (Surgery, 0.7), (Cardiology, 0.5), (Dermatology, 0.5), (Imaging, 0.5), (Emergency, 0.4), (Dentistry, 0.3),
                (Anaesthesia, 0.3)),
            ["Veterinary Surgeon", "Senior Veterinary Surgeon", "Vet Surgeon", "Veterinary Surgeon", "Small Animal Vet", "Clinical Vet",
             "Veterinarian", "Vet"]),
        new("Vet/Owner", 5, Affinity((Management, 1.0), (SmallAnimal, 0.5), (Wellbeing, 0.4), (Surgery, 0.3)),
            ["Practice Owner", "Partner", "Director and Veterinary Surgeon", "Owner"]),
        new("Clinical or other Director", 4, Affinity((Management, 1.0), (Wellbeing, 0.5), (Welfare, 0.3)),
            ["Clinical Director", "Medical Director", "Regional Clinical Director"]),
        new("Assistant Vet", 5, Affinity((SmallAnimal, 0.7), (Surgery, 0.6), (Dermatology, 0.5), (Emergency, 0.5), (Dentistry, 0.4)),
            ["Assistant Vet", "Veterinary Assistant", "Assistant Veterinary Surgeon"]),
        new("Locum Vet", 4, Affinity((Emergency, 0.8), (Surgery, 0.6), (Anaesthesia, 0.5), (SmallAnimal, 0.5), (Wellbeing, 0.3)),
            ["Locum", "Locum Vet", "Locum Veterinary Surgeon"]),
        new("Academic", 2, Affinity((Imaging, 0.6), (Cardiology, 0.6), (Welfare, 0.6), (Surgery, 0.4)),
            ["Lecturer in Veterinary Science", "Professor of Small Animal Medicine", "Senior Lecturer", "Researcher"]),
        new("Vet Nurse", 22, Affinity((Nursing, 1.0), (Wellbeing, 0.6), (Welfare, 0.5), (Anaesthesia, 0.3), (Emergency, 0.3)),
            ["RVN", "Registered Veterinary Nurse", "Veterinary Nurse", "Vet Nurse", "RVN"]),
        new("Head Nurse/Senior Nurse", 5, Affinity((Nursing, 1.0), (Wellbeing, 0.6), (Management, 0.5), (Welfare, 0.3)),
            ["Head Nurse", "Senior RVN", "Clinical Nurse Lead"]),
        new("Locum RVN", 2, Affinity((Nursing, 1.0), (Wellbeing, 0.5), (Emergency, 0.4), (Welfare, 0.3)),
            ["Locum RVN", "Locum Veterinary Nurse"]),
        new("Student", 8, Affinity((Wellbeing, 0.6), (SmallAnimal, 0.5), (Exotics, 0.4), (Surgery, 0.4), (Welfare, 0.4)),
            ["Student", "Veterinary Student", "Student Vet Nurse", "Final Year Student"]),
        new("Practice Manager", 6, Affinity((Management, 1.0), (Wellbeing, 0.6), (Welfare, 0.2)),
            ["Practice Manager", "Operations Manager", "Business Manager"]),
        new("Receptionist/Client Care", 3, Affinity((Management, 0.7), (Wellbeing, 0.6), (Welfare, 0.5)),
            ["Receptionist", "Client Care Coordinator", "Client Care Advisor"]),
        new("Other", 2, Affinity((Welfare, 0.5), (Wellbeing, 0.5), (Management, 0.4), (SmallAnimal, 0.3)),
            ["Animal Behaviourist", "Pharmacist", "Pet Insurance Advisor", "Territory Manager"]),
    ];

    public override IReadOnlyList<AnswerOption> Specialisations { get; } =
    [
        new(SmallAnimal, 58, Affinity((SmallAnimal, 1.0), (Feline, 0.5), (Dermatology, 0.4), (Dentistry, 0.4), (Cardiology, 0.3), (Exotics, 0.2))),
        new("Mixed", 12, Affinity((Equine, 0.8), (Farm, 0.5), (Surgery, 0.4), (Imaging, 0.4), (Welfare, 0.4))),
        new(Equine, 10, Affinity((Equine, 1.0), (Imaging, 0.5), (Surgery, 0.4), (Dentistry, 0.3), (Anaesthesia, 0.3))),
        new(Farm, 9, Affinity((Farm, 1.0), (Welfare, 0.6), (Management, 0.2))),
        new(Exotics, 5, Affinity((Exotics, 1.0), (Anaesthesia, 0.4), (SmallAnimal, 0.3), (Welfare, 0.3))),
    ];

    public override IReadOnlyList<double> SpecialisationCountWeights { get; } = [65, 27, 8];

    public override string OrganisationColumn => "organisation_type";

    public override IReadOnlyList<AnswerOption> Organisations { get; } =
    [
        new("Independent Practice", 45, Affinity((Management, 0.3), (SmallAnimal, 0.2))),
        new("Corporate Group Practice", 33, Affinity((Wellbeing, 0.3), (Management, 0.2))),
        new("Referral Hospital", 8, Affinity((Surgery, 0.5), (Emergency, 0.4), (Imaging, 0.4), (Cardiology, 0.4), (Anaesthesia, 0.3))),
        new("University / Academic", 5, Affinity((Welfare, 0.3), (Imaging, 0.3))),
        new("Charity", 5, Affinity((Welfare, 0.6), (SmallAnimal, 0.2))),
        new("Industry / Supplier", 4, Affinity((Management, 0.3))),
    ];

    public override IReadOnlyList<ExtraQuestion> ExtraQuestions { get; } = [];

    public override IReadOnlyList<OtherQuestion> OtherQuestions { get; } =
    [
        new("How did you hear about the show?",
            ["Email from the organisers", "Social media", "Colleague or friend", "Veterinary press", "Search engine", "I attended before",
             "Professional association"], 2),
        new("What is your purchasing authority?",
            ["Final decision maker", "Recommend or specify", "Part of a buying team", "No purchasing authority"]),
        new("Number of employees", ["1-5", "6-20", "21-50", "51-200", "More than 200"]),
        new("Do you consent to be contacted by partners?", ["Yes", "No"]),
        new("Which days will you attend?", ["Day 1", "Day 2", "Both days"]),
        new("Are you a member of a professional association?", ["BSAVA", "BVA", "BVNA", "BEVA", "BCVA", "None"], 2),
    ];

    public override IReadOnlyList<WeightedValue> Countries { get; } =
    [
        new("United Kingdom", 86), new("Ireland", 5), new("Netherlands", 1), new("Spain", 1), new("Germany", 1), new("France", 1),
        new("Italy", 1), new("Poland", 1), new("Portugal", 0.5), new("United States", 1), new("Australia", 0.5), new("South Africa", 0.5),
        new("Greece", 0.5),
    ];

    public override IReadOnlyList<string> FreeMailDomains { get; } =
        ["gmail.com", "hotmail.co.uk", "outlook.com", "yahoo.co.uk", "icloud.com", "btinternet.com"];
    public override string CompanyDomainSuffix => ".co.uk";

    public override IReadOnlyList<WeightedValue> SourceChannels { get; } =
    [
        new("WEB", 55), new("EMAIL_CAMPAIGN", 15), new("PARTNER_EMAIL", 12), new("SOCIAL", 8), new("APP", 5), new("GROUP_BOOKING", 5),
    ];

    public override string MainTheatreName => "Main Auditorium";

    public override IReadOnlyList<string> SponsorCompanies { get; } =
    [
        "Northfield Animal Health", "Petcare Pharma UK", "Meridian Pet Nutrition", "Harbour Veterinary Insurance", "Clearview Imaging Systems",
        "Brightwell Vaccines", "Vetlink Diagnostics", "Greenpaw Therapeutics",
    ];

    public override IReadOnlyList<string> TitleTemplates { get; } =
    [
        "{Topic} in {subject}", "{Topic}: a practical update", "Getting to grips with {topic}", "{Topic} - what's new?",
        "Common pitfalls in {topic}", "A case-based approach to {topic} in {subject}", "Top tips for {topic}", "{Topic} for the {audience}",
        "Managing {topic}: evidence and practice", "Update on {topic} in {subject}", "{Topic}: from first opinion to referral",
        "What I wish I knew about {topic}", "{Topic} in {subject}: case discussions", "Controversies in {topic}",
        "{Topic} and {focus}: making sense of it", "Back to basics: {topic}", "Ten questions about {topic}", "{Topic} on a budget",
        "When {topic} goes wrong", "Rethinking {topic}", "{Topic} made simple", "Spotlight on {topic} in {subject}",
    ];

    public override IReadOnlyList<string> SynopsisOpeners { get; } =
    [
        "This session looks at {topic} in {subject}, with a focus on {focus}.",
        "Join us for a practical look at {topic} in {subject}, including {focus}.",
        "An evidence-based update on {topic} in {subject} and how it relates to {focus}.",
        "What does good care for {topic} look like in {subject}?",
        "{Topic} is a common challenge in {subject}; the speakers explain how they approach it.",
        "Using real cases, the speakers walk through {topic} in {subject}.",
        "From first signs to follow-up, this session covers {topic} in {subject}.",
        "Why is {topic} so often missed in {subject}, and what can be done about it?",
        "Two clinicians compare notes on {topic} in {subject} and on {focus}.",
        "Recent research has changed how we think about {topic} in {subject}.",
        "If {topic} in {subject} worries you, this session is for you.",
        "Here the spotlight is on {topic}, seen through cases in {subject}.",
        "Start with the history, finish with a plan: {topic} in {subject} step by step.",
        "Few areas move as fast as {topic}; this update brings you up to date, with a word on {focus}.",
        "A case-led discussion of {topic} in {subject}, and where {focus} fits in.",
        "Our speakers tackle {topic} head on, drawing on work in {subject}.",
    ];

    public override IReadOnlyList<string> SynopsisMiddles { get; } =
    [
        "Time is set aside to discuss {focus}.", "Expect a frank discussion of what works and what does not.",
        "Decision trees and checklists are shared.", "Attendees leave with a clear plan for their next case.",
        "The evidence behind each recommendation is summarised.", "Costs and owner expectations are part of the conversation.",
        "Common mistakes are shown alongside the fixes.", "The role of the whole team is discussed.",
    ];

    public override IReadOnlyList<string> SynopsisClosers { get; } =
    [
        "Aimed at the {audience}.", "Suitable for the {audience}.", "Ideal for the {audience}.", "CPD certificate available.",
        "Includes time for questions.", "Interactive session with live polling.",
    ];

    public override IReadOnlyList<string> Audiences { get; } =
        ["first opinion vet", "new graduate", "whole practice team", "busy clinician", "nursing team", "practice owner"];

    public override IReadOnlyDictionary<string, string[]> TopicWordings => VetTopicWordings.All;

    public override bool CompanyHasSpecialisation => true;

    private static readonly IReadOnlyDictionary<string, string[]> PracticeSuffixes = new Dictionary<string, string[]>(StringComparer.Ordinal)
    {
        [SmallAnimal] =
            ["Veterinary Centre", "Vets", "Animal Hospital", "Veterinary Surgery", "Pet Clinic", "Veterinary Practice", "Small Animal Clinic"],
        [Equine] = ["Equine Clinic", "Equine Hospital", "Equine Vets", "Horse Vets", "Equine Practice"],
        [Farm] = ["Farm Vets", "Livestock Vets", "Farm Animal Practice", "Veterinary Farm Services"],
        ["Mixed"] = ["Mixed Practice", "Mixed Vets", "Veterinary Group", "Mixed Veterinary Practice"],
        [Exotics] = ["Exotic Pet Clinic", "Exotics Vets", "Avian & Exotic Clinic"],
    };

    private static readonly string[] CorporateBrands = ["Goodpaws", "Trustvet", "PetPoint", "Heartland Vets", "Vetora", "Kindred Vets"];

    public override string CompanyName(Random rng, string organisation, string? specialisation)
    {
        var suffixes = PracticeSuffixes.GetValueOrDefault(specialisation ?? SmallAnimal) ?? PracticeSuffixes[SmallAnimal];
        var town = rng.Pick(PersonNames.Towns);
        var place = rng.Pick(PersonNames.PlaceWords);
        var equine = specialisation == Equine;
        return organisation switch
        {
            "Referral Hospital" => rng.Between(0, 2) switch
            {
                0 => $"{town} {(equine ? "Equine Referrals" : "Veterinary Referrals")}",
                1 => $"{place} {(equine ? "Equine Referral Hospital" : "Referrals")}",
                _ => $"{town} Veterinary Specialists",
            },
            "University / Academic" => rng.Chance(0.5) ? $"University of {town} School of Veterinary Medicine" : $"{town} Veterinary College",
            "Charity" => rng.Between(0, 2) switch
            {
                0 => $"{town} {(equine ? "Horse Sanctuary" : "Animal Rescue Clinic")}",
                1 => $"{place} Animal Welfare Hospital",
                _ => $"{town} Animal Charity Clinic",
            },
            "Industry / Supplier" => $"{place} {rng.Pick(["Animal Health Ltd", "Veterinary Supplies", "Diagnostics Ltd", "Pet Foods Ltd"])}",
            "Corporate Group Practice" => $"{rng.Pick(CorporateBrands)} {town} {rng.Pick(suffixes)}",
            _ => rng.Between(0, 2) switch
            {
                0 => $"{town} {rng.Pick(suffixes)}",
                1 => $"{place} {rng.Pick(suffixes)}",
                _ => $"{rng.Pick(PersonNames.Surnames)} & {rng.Pick(PersonNames.Surnames)} {rng.Pick(suffixes)}",
            },
        };
    }

    /// <summary>Equine and mixed practice vets often say so in their title, which the equine business rule looks for.</summary>
    public override string JobTitle(Random rng, JobRoleOption role, string specialisation)
    {
        var title = rng.Pick(role.JobTitles);
        if (role.Role is "Vet/Vet Surgeon" or "Assistant Vet" or "Locum Vet" && specialisation is Equine or "Mixed" && rng.Chance(0.35))
            return (specialisation == Equine ? "Equine " : "Mixed Practice ") + title;
        return title;
    }
}
