using Microsoft.Extensions.Logging.Abstractions;
using PipelineFunctions.Core.Events;
using PipelineFunctions.Core.Steps.DataPreparation;
using PipelineFunctions.Infrastructure.Artifacts;
using PipelineFunctions.Local.Tests.Support;
using PipelineFunctions.ShowGenerator;

namespace PipelineFunctions.Local.Tests.Steps;

/// <summary>
/// Step 1 reads and writes streaming, to bound its memory; its outputs must stay byte for byte what the whole-in-memory
/// implementation wrote. The expected SHA-256 of every output (metadata.json aside: it holds timings) were recorded by
/// running this test's code at commit 3723e7d, the last one before the streaming reader and writer.
/// </summary>
public sealed class DataPreparationOutputIdentityTests : IDisposable
{
    private readonly TempFolder _temp = new();

    public void Dispose() => _temp.Dispose();

    public static TheoryData<string, string, int> Shows() => new()
    {
        { "vet_lva", "sample", 0 },
        { "ecomm", "sample", 0 },
        // Large enough that the JSON exports span many read buffers; full of the generator's duplicates and faults.
        { "vet_lva", "generated", 3_000 },
        { "ecomm", "generated", 1_500 },
    };

    [Theory]
    [MemberData(nameof(Shows))]
    public async Task Outputs_are_byte_identical_to_those_of_the_in_memory_implementation(string eventName, string source, int visitors)
    {
        var config = EventConfigLoader.LoadFile(Path.Combine(Repository.Root, "config", "events", eventName + ".yaml"));
        var inputFolder = Repository.Sample(eventName);
        if (source == "generated")
        {
            inputFolder = _temp.Combine("inputs");
            ShowDataGenerator.Generate(config, new GenerationOptions(visitors, GenerationOptions.DefaultSeed), inputFolder);
        }
        var outputs = ArtifactStoreLocator.Open(_temp.Combine("store"));

        var result = await new DataPreparationStep(NullLogger<DataPreparationStep>.Instance, TimeProvider.System)
            .RunAsync(new DataPreparationRequest(config, ArtifactStoreLocator.Open(inputFolder), outputs, "identity"));

        var actual = result.Manifest.Outputs.Where(o => o.Name != DataPreparationOutputNames.Metadata)
            .Select(o => $"{o.Name} {o.Sha256}").ToList();
        Assert.Equal(Expected[(eventName, source)], actual);
    }

    private static readonly Dictionary<(string Event, string Source), string[]> Expected = new()
    {
        [("vet_lva", "sample")] =
        [
            "visitors_this_year.csv df000153edd2f7f929905c7c671a6f974575aea0a15f21a0e533fc0dc97a15ce",
            "visitors_past_main.csv c5f909884026307b1826df3452cb8e0b2c3475b131048fa4e8247969b7ad77fd",
            "visitors_past_secondary.csv 07f4c1af6c0143640333e5970c780921668acdd4fcc212e6d6f8f0d6918ab6cf",
            "sessions_this_year.csv 6d7d7eeff566bc233a08d86f71c130ce4f747e2d7471833cbc8ac490450d620f",
            "sessions_past_main.csv bf88f9b3ba98fcd06a69bad2872c6403413eb693fa38aa3a9381b471476371b1",
            "sessions_past_secondary.csv 0aaf921b6eaa5842f684d1c6a900ca7109c6845566e7a7a9c87e5cd1f01972ce",
            "sessions_quarantined.csv a71d801889effb7df18a2c3acbc0cc26e6fe7831b3b0d8f805778fce90833401",
            "streams.json 7355e16247bff10b2cace8f65f6cda691637f5712dd5a16f9448d7f75aac9839",
            "scans_past_main.csv ecef4e714e17d9fe90c0206452c3b046cacde7c773f172e01750e0d802fff731",
            "scans_past_secondary.csv 40a7c99664f9a3864ebb5ba0720c436852b152cca16861db4e565b650638bb1e",
            "job_role_streams.csv 4507d000baeefd163873b55d312d49d041827f2f2a8eeb28621e337757469598",
            "specialisation_streams.csv 836aa1d63965bfb48f752649f2086d47bd25506f035c97d270f74bdc7e735ca7",
            "theatres.csv 8581637913755a57f4e850564914f8e1ddc8bdbc5f070bae2fb7bd652b0c61c1",
        ],
        [("ecomm", "sample")] =
        [
            "visitors_this_year.csv bd9fad3717d0dc588825111e561cea487492a829defe25cc0f11d6569a8f2aae",
            "visitors_past_main.csv 6938485e1fb766686ac05bb12a0929b63e43cd7c550ca990edf8bee55adbca89",
            "visitors_past_secondary.csv b60510981b639bd0fe5cdadcdb8dcbfe174fb8af48fd88f9eaaae56151a7e527",
            "sessions_this_year.csv b163774b50594c5134da054e5e8438a721ec93e5cbacc70f177406fde927c5bb",
            "sessions_past_main.csv f493dfbdaa3a901f9073c71ccea5492ef0a11836c7ad7322e284e79aa169cc1e",
            "sessions_past_secondary.csv 100a032a98f355eacf40b4e57a8d1e57b7f16c7d90715f5b931b0fae6a020907",
            "sessions_quarantined.csv 38b809e783efd88f850cd72afe96e4c3ba33670550a107cabfbf31ffcf8445b7",
            "streams.json b8e1a93503bd7f2f60566f531351853b32e72e73954a5b2dbc52a6d497b867ce",
            "scans_past_main.csv 7e9eb17ef2a9989776eb5c841ec1a5250bc866d9106b7c95ddc0f45010ad8982",
            "scans_past_secondary.csv 4ca5bcc9f67ea9b2ec3b0b36a6aed3ffa3baa549bcc8d2cba496a2a9cea4f299",
            "job_role_streams.csv 40850ae5a8915ccfc5f52973ac9c7a29aab27e5265540ba4c0ad52d74184ba99",
            "specialisation_streams.csv 4978617e08c09bb9822d8b3d77eda1394886e7c7df9061038b34c103b61e8b9d",
            "theatres.csv 0330e37a5083db5b40985ac8a696ef97056acd12bf58205be2b0bc4a88a27724",
        ],
        [("vet_lva", "generated")] =
        [
            "visitors_this_year.csv 5e3d2abb079fe4e96d27b53fdbb4ffbe60283f25fb73225c3a6bf3c227b593c1",
            "visitors_past_main.csv 4eed8b41509a125281e4ec50a58f3c06bc2b47d8e612269b176289fea1e8d3db",
            "visitors_past_secondary.csv 4ced07adb674b98b906d6966d1065b2815f23a599cb9e95d352098be7db652d0",
            "sessions_this_year.csv 58a5e1dce847a7845400371eb0374ab325864f321b038571b4ac9fb1486ee0cf",
            "sessions_past_main.csv ebb872ba99f615b7d1a8a6c5d3ff67aa950c1c8aa6d67e2c060b298788b4c7e7",
            "sessions_past_secondary.csv 6abe5dbf61a7d79a4b6a0126f96ee15b215df8dfa494a692c9d7633f84338afe",
            "sessions_quarantined.csv 4dab4c20c0fc58216ec2822076d3086dc2199d22a12166520f644b6e3a42e23a",
            "streams.json 7355e16247bff10b2cace8f65f6cda691637f5712dd5a16f9448d7f75aac9839",
            "scans_past_main.csv ecbce4f779c1142d898441350c9b8b8bac53a846a5c447d1c38825063a4b2da1",
            "scans_past_secondary.csv dabab6f6fd664157de1baf192d7c739b5db8180c234b91b6585baed874a521ea",
            "job_role_streams.csv 4507d000baeefd163873b55d312d49d041827f2f2a8eeb28621e337757469598",
            "specialisation_streams.csv 836aa1d63965bfb48f752649f2086d47bd25506f035c97d270f74bdc7e735ca7",
            "theatres.csv df8e9128f979ed4dc875f6aac67c92292d6f39a62a51a39c0998b48dca9c97cd",
        ],
        [("ecomm", "generated")] =
        [
            "visitors_this_year.csv f13ae87c699f346cd28730f14343cf0ff15bba755ce40353b3b6188677b991e6",
            "visitors_past_main.csv 5fdb20f5bec862b3504c2e58ecf1b9a8c8fcea97e9895eaaef6eb4f2249f636c",
            "visitors_past_secondary.csv 1d57ce3ce6c701838739c1c35046e4862a949e39d9b45d5aad18816a9ca27aa5",
            "sessions_this_year.csv 5e5a890f190b5276845cff75909be722254b22e4ef048827a931779f50ce9d0f",
            "sessions_past_main.csv 934fb61c609ab807e34670a41515ac115b2662bfa2a205567297f98647afa387",
            "sessions_past_secondary.csv 6c6fe85f556029d590b68e3a29a96c7a4768a5e65a60bb5ede9ddf73e7660059",
            "sessions_quarantined.csv d075613c686d946d52dee3855d198e243e8c12051d7b9db7c3412b683ff8139f",
            "streams.json b8e1a93503bd7f2f60566f531351853b32e72e73954a5b2dbc52a6d497b867ce",
            "scans_past_main.csv b195152a509ecd8964e3b25693182e521c5438f7a9a10d11214a38532c21cbd5",
            "scans_past_secondary.csv 11bcc928286a6aeee13ae653c68a9dc86d8e4e7efd99bea0c20a8ccc098c7d38",
            "job_role_streams.csv 40850ae5a8915ccfc5f52973ac9c7a29aab27e5265540ba4c0ad52d74184ba99",
            "specialisation_streams.csv 4978617e08c09bb9822d8b3d77eda1394886e7c7df9061038b34c103b61e8b9d",
            "theatres.csv 0330e37a5083db5b40985ac8a696ef97056acd12bf58205be2b0bc4a88a27724",
        ],
    };
}
