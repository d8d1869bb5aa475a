using System.Text;
using PipelineFunctions.Core.Events;
using PipelineFunctions.Core.Tests.Support;

namespace PipelineFunctions.Core.Tests.Steps.DataPreparation;

/// <summary>
/// A hand-written vet_lva input set in the reference system's exact formats, small enough that every expected
/// value in the tests can be checked by reading this file. Tests replace single files to plant faults.
/// </summary>
public sealed class SmallShow
{
    public EventConfig Config { get; } = EventConfigLoader.LoadFile(RepositoryPaths.EventConfig("vet_lva"));

    public Dictionary<string, string> Files { get; } = new()
    {
        // This year LVS25 and past main LVS24, old (PascalCase) export.
        ["registration_LVS24_LVS25.json"] =
            "[\n" +
            """  {"BadgeId": "T001", "ShowRef": "LVS25", "BadgeType": "Delegate", "Source": "LVS25_WEB", "Email": "Jane.Doe@Vets.co.uk",""" +
            """ "Forename": "Jane", "Surname": "Doe", "JobTitle": "Vet", "Company": "Hill Vets", "Country": "UK", "Tel": "0100",""" +
            """ "Mobile": "0700", "RegistrationDate": "2025-10-21 09:00:00"},""" + "\n" +
            """  {"BadgeId": "T002", "ShowRef": "LVS25", "BadgeType": "Delegate - Group", "Source": "LVS25_PARTNER",""" +
            """ "Email": "sam@oak.co.uk", "Forename": "Sam", "Surname": "Oak", "JobTitle": "Locum RVN", "Company": "Oak Vets Ltd.",""" +
            """ "Country": "UK", "Tel": "", "Mobile": "", "RegistrationDate": "2025-11-19T08:30:00"},""" + "\n" +
            """  {"BadgeId": "T001", "ShowRef": "LVS25", "BadgeType": "Delegate", "Source": "LVS25_WEB", "Email": "dup@x.com",""" +
            """ "Forename": "Dup", "Surname": "Licate", "JobTitle": "", "Company": "", "Country": "UK", "Tel": "", "Mobile": "",""" +
            """ "RegistrationDate": "2025-10-01 10:00:00"},""" + "\n" +
            """  {"BadgeId": "T003", "ShowRef": "LVS25", "BadgeType": "Delegate", "Source": "LVS25_WEB", "Email": "", "Forename": "No",""" +
            """ "Surname": "Email", "JobTitle": "", "Company": "", "Country": "UK", "Tel": "", "Mobile": "",""" +
            """ "RegistrationDate": "2025-10-01 10:00:00"},""" + "\n" +
            """  {"BadgeId": "T004", "ShowRef": "", "BadgeType": "Delegate", "Source": "lvs25_email_campaign", "Email": "ann@farm.org",""" +
            """ "Forename": "Ann", "Surname": "Field", "JobTitle": "Farm vet", "Company": "Field Farm Vets", "Country": "IE", "Tel": "",""" +
            """ "Mobile": "", "RegistrationDate": "2025-11-20 07:00:00"},""" + "\n" +
            """  {"BadgeId": "T005", "ShowRef": "XYZ99", "BadgeType": "Delegate", "Source": "", "Email": "who@x.com", "Forename": "Who",""" +
            """ "Surname": "Knows", "JobTitle": "", "Company": "", "Country": "UK", "Tel": "", "Mobile": "",""" +
            """ "RegistrationDate": "2025-10-01 10:00:00"},""" + "\n" +
            """  {"BadgeId": "T006", "ShowRef": "LVS25", "BadgeType": "Exhibitor", "Source": "LVS25_EXH", "Email": "exh@x.com",""" +
            """ "Forename": "Ex", "Surname": "Hibitor", "JobTitle": "", "Company": "", "Country": "UK", "Tel": "", "Mobile": "",""" +
            """ "RegistrationDate": "2025-10-01 10:00:00"},""" + "\n" +
            """  {"BadgeId": "P001", "ShowRef": "LVS24", "BadgeType": "Delegate", "Source": "LVS24_WEB", "Email": "jane.doe@vets.co.uk",""" +
            """ "Forename": "jane", "Surname": "DOE", "JobTitle": "Vet", "Company": "Hill Vets", "Country": "UK", "Tel": "", "Mobile": "",""" +
            """ "RegistrationDate": "2024-10-01 12:00:00"},""" + "\n" +
            """  {"BadgeId": "P002", "ShowRef": "LVS24", "BadgeType": "Delegate", "Source": "LVS24_WEB", "Email": "old@timer.com",""" +
            """ "Forename": "Old", "Surname": "Timer", "JobTitle": "Vet", "Company": "", "Country": "UK", "Tel": "", "Mobile": "",""" +
            """ "RegistrationDate": "2024-10-01 12:00:00"}""" + "\n" +
            "]",
        ["registration_BVA25.json"] =
            "[\n" +
            """  {"BadgeId": "S001", "ShowRef": "BVA25", "BadgeType": "Delegate", "Source": "BVA25_WEB", "Email": "JANE.DOE@VETS.CO.UK",""" +
            """ "Forename": "Jane", "Surname": "Doe", "JobTitle": "Vet", "Company": "Hill Vets", "Country": "UK", "Tel": "", "Mobile": "",""" +
            """ "RegistrationDate": "2025-04-01 12:00:00"}""" + "\n" +
            "]",
        ["demographics_LVS24_LVS25.json"] = """
        [
          {"BadgeId": "T001", "showref": "LVS25", "QuestionText": "Job Role", "AnswerText": "Vet/Vet Surgeon"},
          {"BadgeId": "T001", "showref": "LVS25", "QuestionText": "What type does your practice specialise in?", "AnswerText": "Small Animal"},
          {"BadgeId": "T001", "showref": "LVS25", "QuestionText": "What type does your practice specialise in?", "AnswerText": "Equine"},
          {"BadgeId": "T001", "showref": "LVS25", "QuestionText": "How did you hear about the show?", "AnswerText": "Email"},
          {"BadgeId": "T004", "showref": "LVS25", "QuestionText": "Organisation Type", "AnswerText": "Independent Practice"},
          {"BadgeId": "P001", "showref": "LVS24", "QuestionText": "Job Role", "AnswerText": "Vet/Vet Surgeon"}
        ]
        """,
        ["demographics_BVA25.json"] = """
        [
          {"BadgeId": "S001", "showref": "BVA25", "QuestionText": "What areas do you specialise in?", "AnswerText": "Companion Animal"}
        ]
        """,
        ["LVS25_session_export.csv"] = """
        session_id,date,start_time,end_time,theatre__name,title,stream,synopsis_stripped,sponsored_session,sponsored_by
        S25-3,2025-11-21,10:00,10:45,Theatre 4,Feline dentistry,feline; Dentistry,Teeth of cats.,No,
        S25-1,2025-11-20,09:30,10:15,Theatre 1,"Equine lameness, step by step",Equine,"Horses, lameness.",Yes,BSAVA
        S25-2,2025-11-20,09:30,10:00,Theatre 2,Small animal anaesthesia,Small Animal;Anaesthesia,Safe anaesthesia.,No,
        S25-9,2025-11-21,15:00,15:45,Theatre 1,Equine Lameness - Step by Step!,Equine,Repeat of the morning.,No,
        S25-4,2025-11-20,11:00,11:30,Theatre 3,,Nursing,Blank title row.,No,
        S25-5,2025-11-20,12:00,12:30,Theatre 3,Session TBA,Nursing,,No,
        """,
        ["LVS24_session_export.csv"] = """
        session_id,date,start_time,end_time,theatre__name,title,stream,synopsis_stripped,sponsored_session,sponsored_by
        S24-1,2024-11-14,09:30,10:15,Theatre 1,Dental radiography - a practical guide,Dentistry,X-rays of teeth.,No,
        S24-2,2024-11-14,11:00,11:45,Theatre 2,Feline medicine update,Feline,Cats.,No,
        """,
        ["BVA25_session_export.csv"] = """
        session_id,date,start_time,end_time,theatre__name,title,stream,synopsis_stripped,sponsored_session,sponsored_by
        B25-1,2025-05-15,10:00,10:45,Hall A,Practice wellbeing,Wellbeing,Team health.,No,
        """,
        ["lvs2024 seminar scans.csv"] = """
        Badge Id,Short Name,Scan Date,File
        P001,DEN-1,2024-11-14 09:35:00,LVS24 Theatre 1 Day 1.xlsx
        P001,DEN-1,2024-11-14 09:50:00,LVS24 Theatre 1 Day 1.xlsx
        P002,DEN-1,2024-11-14 09:36:00,LVS24 Theatre 1 Day 1.xlsx
        P001,ZZZ-9,2024-11-14 11:05:00,LVS24 Theatre 2 Day 1.xlsx
        P001,FEL-2,2024-11-14 11:05:00,LVS24 Theatre 2 Day 1.xlsx
        """,
        ["lvs2024 seminar scans reference.csv"] = """
        Short Name,Seminar Name
        DEN-1,Dental Radiography: A Practical Guide!
        FEL-2,Feline Medicine Update
        """,
        ["bva25 seminar scans.csv"] = """
        Badge Id,Short Name,Scan Date,File
        S001,WB-1,2025-05-15 10:05:00,BVA25 Hall A.xlsx
        """,
        ["bva25 seminar scans reference.csv"] = """
        Short Name,Seminar Name
        WB-1,Practice Wellbeing
        """,
        ["job_to_stream.csv"] = """
        Job Role,Equine,Small Animal,Nursing,Feline
        Vet/Vet Surgeon,YES,YES,,YES
        Vet Nurse,,,YES,
        """,
        ["spezialization_to_stream.csv"] = """
        spezialization,equine,small animal,Farm
        Equine,YES,,
        Small Animal,,YES,
        Farm,,,YES
        """,
        ["teatres.csv"] = """
        theatre_name,capacity
        Theatre 1,100
        Theatre 2,40
        """,
        ["practices_missing.csv"] = """
        Company Name,Main Type of Veterinary Practice
        OAK VETS LTD,Small Animal
        """,
    };

    public InMemoryArtifactStore InputStore()
    {
        var store = new InMemoryArtifactStore();
        foreach (var (name, text) in Files) store.Add(name, Encoding.UTF8.GetBytes(text.Replace("\r\n", "\n") + "\n"));
        return store;
    }
}
