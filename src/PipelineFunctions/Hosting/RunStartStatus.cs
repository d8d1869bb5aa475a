namespace PipelineFunctions.Hosting;

/// <summary>What became of a request to start a run.</summary>
public enum RunStartStatus
{
    /// <summary>The instance was created and scheduled.</summary>
    Started,

    /// <summary>An instance with that id exists (in any state): nothing was created.</summary>
    AlreadyExists,

    /// <summary>The request was refused before anything was created.</summary>
    Invalid,
}
