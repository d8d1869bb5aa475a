namespace PipelineFunctions.ShowGenerator;

/// <summary>A seminar theatre: number 1 is the main one; each has a home stream most of its sessions belong to.</summary>
internal sealed record Theatre(int Number, string Name, string HomeStream, int Capacity);
