namespace PipelineFunctions.Core.Steps.DataPreparation;

/// <summary>Names of step 1's outputs inside runs/&lt;event&gt;/&lt;runId&gt;/data_preparation/.</summary>
public static class DataPreparationOutputNames
{
    public const string StepName = "data_preparation";
    public const string VisitorsThisYear = "visitors_this_year.csv";
    public const string VisitorsPastMain = "visitors_past_main.csv";
    public const string VisitorsPastSecondary = "visitors_past_secondary.csv";
    public const string SessionsThisYear = "sessions_this_year.csv";
    public const string SessionsPastMain = "sessions_past_main.csv";
    public const string SessionsPastSecondary = "sessions_past_secondary.csv";
    public const string SessionsQuarantined = "sessions_quarantined.csv";
    public const string Streams = "streams.json";
    public const string ScansPastMain = "scans_past_main.csv";
    public const string ScansPastSecondary = "scans_past_secondary.csv";
    public const string JobRoleStreams = "job_role_streams.csv";
    public const string SpecialisationStreams = "specialisation_streams.csv";
    public const string Theatres = "theatres.csv";
    public const string Metadata = "metadata.json";
}
