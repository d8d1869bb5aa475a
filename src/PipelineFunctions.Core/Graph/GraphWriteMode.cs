namespace PipelineFunctions.Core.Graph;

/// <summary>
/// Full: nodes and relationships are created or updated, and this year's sessions are replaced (with their
/// streams links, embeddings and recommendations). Incremental (the reference's create_only_new): what exists
/// is kept as it is; only new nodes and relationships are added.
/// </summary>
public enum GraphWriteMode { Full, Incremental }
