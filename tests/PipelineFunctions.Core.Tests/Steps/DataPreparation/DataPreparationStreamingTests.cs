using Microsoft.Extensions.Logging.Abstractions;
using PipelineFunctions.Core.Artifacts;
using PipelineFunctions.Core.Steps.DataPreparation;
using PipelineFunctions.Core.Tests.Support;

namespace PipelineFunctions.Core.Tests.Steps.DataPreparation;

/// <summary>Step 1 reads scans as it matches them and renders outputs into the store as it writes them: the cases that creates.</summary>
public sealed class DataPreparationStreamingTests
{
    private static DataPreparationStep Step() => new(NullLogger<DataPreparationStep>.Instance, TimeProvider.System);

    [Fact]
    public async Task A_storage_failure_in_the_middle_of_a_streamed_output_withdraws_everything_and_stops_rendering()
    {
        var show = new SmallShow();
        // Enough visitors that visitors_this_year.csv is several times the pipe's window, so its rendering is mid-way.
        var extra = string.Concat(Enumerable.Range(0, 30_000).Select(i =>
            $$"""  {"BadgeId": "X{{i}}", "ShowRef": "LVS25", "BadgeType": "Delegate", "Source": "LVS25_WEB", "Email": "x{{i}}@vets.co.uk",""" +
            $$""" "Forename": "Xavier", "Surname": "Young{{i}}", "JobTitle": "Vet", "Company": "Hill Vets", "Country": "UK", "Tel": "",""" +
            $$""" "Mobile": "", "RegistrationDate": "2025-10-21 09:00:00"},""" + "\n"));
        show.Files["registration_LVS24_LVS25.json"] = show.Files["registration_LVS24_LVS25.json"].Replace("[\n", "[\n" + extra);
        var outputs = new FailingMidStreamStore(failOn: DataPreparationOutputNames.VisitorsThisYear, afterBytes: 1_500_000);

        var run = Step().RunAsync(new DataPreparationRequest(show.Config, show.InputStore(), outputs, "run-1"));

        var error = await Assert.ThrowsAsync<IOException>(() => run.WaitAsync(TimeSpan.FromMinutes(2)));
        Assert.Equal("simulated failure mid-stream", error.Message);
        Assert.True(outputs.BytesRead >= 1_500_000);
        Assert.Empty(outputs.Inner.Paths);
    }

    [Fact]
    public async Task Warnings_of_scans_read_side_by_side_keep_their_counts_and_first_examples()
    {
        var show = new SmallShow();
        var unknown = string.Concat(Enumerable.Range(1, 8).Select(i => $"P001,NOPE-{i},2024-11-14 12:00:00,LVS24 Theatre 2 Day 1.xlsx\n"));
        show.Files["lvs2024 seminar scans.csv"] = show.Files["lvs2024 seminar scans.csv"].TrimEnd() + "\n" + unknown;
        show.Files["bva25 seminar scans.csv"] = show.Files["bva25 seminar scans.csv"].TrimEnd()
            + "\nS001,NOPE-B,2025-05-15 10:05:00,BVA25 Hall A.xlsx";

        var result = await Step().RunAsync(new DataPreparationRequest(show.Config, show.InputStore(), new InMemoryArtifactStore(), "run-1"));

        var unknownShortNames = result.Metadata.Warnings.Where(w => w.Code == WarningCodes.UnknownScanShortName).ToList();
        // One per file, the main show's first (the order a sequential run gives), each with every scan counted.
        Assert.Equal(["lvs2024 seminar scans.csv", "bva25 seminar scans.csv"], unknownShortNames.Select(w => w.File));
        Assert.Equal(9, unknownShortNames[0].Count); // ZZZ-9 of the sample and the eight added
        Assert.Equal(["ZZZ-9", "NOPE-1", "NOPE-2", "NOPE-3", "NOPE-4"], unknownShortNames[0].Examples.Select(e => e.Value));
        Assert.Equal(1, unknownShortNames[1].Count);
        Assert.Equal(9, result.Metadata.Processors["scans_past_main"].Counts["skipped_unknown_short_name"]);
    }

    /// <summary>
    /// An in-memory store whose put of the artifact named <paramref name="failOn"/> fails after reading some of its content
    /// (named, not numbered: step 1 publishes several outputs at once, in no fixed order).
    /// </summary>
    private sealed class FailingMidStreamStore(string failOn, long afterBytes) : IArtifactStore
    {
        public InMemoryArtifactStore Inner { get; } = new();
        public long BytesRead { get; private set; }
        public Uri Root => Inner.Root;

        public async Task<StoredArtifact> PutAsync(ArtifactPath path, Stream content, CancellationToken cancellationToken = default)
        {
            if (path.Name != failOn) return await Inner.PutAsync(path, content, cancellationToken);
            var buffer = new byte[4096];
            int read;
            while ((read = await content.ReadAsync(buffer, cancellationToken)) > 0)
            {
                BytesRead += read;
                if (BytesRead >= afterBytes) throw new IOException("simulated failure mid-stream");
            }
            throw new InvalidOperationException($"the output ended after {BytesRead} bytes, before the failure");
        }

        public Task<Stream> OpenReadAsync(ArtifactPath path, CancellationToken cancellationToken = default) =>
            Inner.OpenReadAsync(path, cancellationToken);
        public Task<bool> ExistsAsync(ArtifactPath path, CancellationToken cancellationToken = default) => Inner.ExistsAsync(path, cancellationToken);
        public IAsyncEnumerable<ArtifactEntry> ListAsync(string prefix, CancellationToken cancellationToken = default) =>
            Inner.ListAsync(prefix, cancellationToken);
        public Task<string> GetContentHashAsync(ArtifactPath path, CancellationToken cancellationToken = default) =>
            Inner.GetContentHashAsync(path, cancellationToken);
        public Task DeleteAsync(ArtifactPath path, CancellationToken cancellationToken = default) => Inner.DeleteAsync(path, cancellationToken);
        public Uri GetUri(ArtifactPath path) => Inner.GetUri(path);
        public bool TryGetPath(Uri uri, out ArtifactPath path) => Inner.TryGetPath(uri, out path);
    }
}
