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
/// running this test's code at commit 3723e7d, the last one before the streaming reader and writer (re-recorded with
/// that commit's `pa prepare` on the inputs of the topic-level generator).
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
            "sessions_this_year.csv 0c64f7171b3f5e3bc91517531a049a48cb728573eb274d32347c4095bdf86ab7",
            "sessions_past_main.csv bcc673d47aa89985595e53fa11f381412a4b334bed9647386aa95629e36cc823",
            "sessions_past_secondary.csv 06b0b5a24a8925454a0622252b0ae8bc7aafec50f6b4218f180e80a2319ccce4",
            "sessions_quarantined.csv a71d801889effb7df18a2c3acbc0cc26e6fe7831b3b0d8f805778fce90833401",
            "streams.json 7355e16247bff10b2cace8f65f6cda691637f5712dd5a16f9448d7f75aac9839",
            "scans_past_main.csv 3ad1227361d34ee2dd7a624f8b6d1d319755ec6bc6ba0548e1c01cbadb32c335",
            "scans_past_secondary.csv 171b288003edfc7f9df62e20606ad78f61d55ee2cdd6d2dc21b69ab1ff74530e",
            "job_role_streams.csv 4507d000baeefd163873b55d312d49d041827f2f2a8eeb28621e337757469598",
            "specialisation_streams.csv 836aa1d63965bfb48f752649f2086d47bd25506f035c97d270f74bdc7e735ca7",
            "theatres.csv 8581637913755a57f4e850564914f8e1ddc8bdbc5f070bae2fb7bd652b0c61c1",
        ],
        [("ecomm", "sample")] =
        [
            "visitors_this_year.csv bd9fad3717d0dc588825111e561cea487492a829defe25cc0f11d6569a8f2aae",
            "visitors_past_main.csv 6938485e1fb766686ac05bb12a0929b63e43cd7c550ca990edf8bee55adbca89",
            "visitors_past_secondary.csv b60510981b639bd0fe5cdadcdb8dcbfe174fb8af48fd88f9eaaae56151a7e527",
            "sessions_this_year.csv 87b50760884e7e64c26915497451109b049061a9e8433067391740bdbe2de648",
            "sessions_past_main.csv f57aac79d5eabacf2806eb755967a1467f3a41a4a2d09e7301ed5ea1beffc357",
            "sessions_past_secondary.csv ad1605d03b21b9b791fe74d6df335d78b174ebab4e846eb93d560e184ace0c3a",
            "sessions_quarantined.csv 38b809e783efd88f850cd72afe96e4c3ba33670550a107cabfbf31ffcf8445b7",
            "streams.json b8e1a93503bd7f2f60566f531351853b32e72e73954a5b2dbc52a6d497b867ce",
            "scans_past_main.csv d5a5001986f2daaabd7fe65a933161bace6e5a2c947e2c5316747797d2fd363e",
            "scans_past_secondary.csv 5ea195e22792a3e007514a83a9a7cdf044c5dcb0497d9dbd69f1b96c48079cc0",
            "job_role_streams.csv 40850ae5a8915ccfc5f52973ac9c7a29aab27e5265540ba4c0ad52d74184ba99",
            "specialisation_streams.csv 4978617e08c09bb9822d8b3d77eda1394886e7c7df9061038b34c103b61e8b9d",
            "theatres.csv 0330e37a5083db5b40985ac8a696ef97056acd12bf58205be2b0bc4a88a27724",
        ],
        [("vet_lva", "generated")] =
        [
            "visitors_this_year.csv 5e3d2abb079fe4e96d27b53fdbb4ffbe60283f25fb73225c3a6bf3c227b593c1",
            "visitors_past_main.csv 4eed8b41509a125281e4ec50a58f3c06bc2b47d8e612269b176289fea1e8d3db",
            "visitors_past_secondary.csv 4ced07adb674b98b906d6966d1065b2815f23a599cb9e95d352098be7db652d0",
            "sessions_this_year.csv ea26473f68f4590770217ebb511525523413d936628aea8676bac8fd09059319",
            "sessions_past_main.csv 889d2f113defe1187133d774c012be9d38f8ca40f1183ce41c2dcd3a254b2807",
            "sessions_past_secondary.csv 62e7973d9ec2911568ac08e14afd078e4e81f97efb1432aece34a1f289295083",
            "sessions_quarantined.csv 4dab4c20c0fc58216ec2822076d3086dc2199d22a12166520f644b6e3a42e23a",
            "streams.json 7355e16247bff10b2cace8f65f6cda691637f5712dd5a16f9448d7f75aac9839",
            "scans_past_main.csv 2671e532337b80d1635ac9ab1104cdba3e6bdc3f38804156e426e8f0095c0bd9",
            "scans_past_secondary.csv f4bbc64780fcba4f3f8802ad5b65e132c733526a35bdaaaa95f9bebb2cec4510",
            "job_role_streams.csv 4507d000baeefd163873b55d312d49d041827f2f2a8eeb28621e337757469598",
            "specialisation_streams.csv 836aa1d63965bfb48f752649f2086d47bd25506f035c97d270f74bdc7e735ca7",
            "theatres.csv df8e9128f979ed4dc875f6aac67c92292d6f39a62a51a39c0998b48dca9c97cd",
        ],
        [("ecomm", "generated")] =
        [
            "visitors_this_year.csv f13ae87c699f346cd28730f14343cf0ff15bba755ce40353b3b6188677b991e6",
            "visitors_past_main.csv 5fdb20f5bec862b3504c2e58ecf1b9a8c8fcea97e9895eaaef6eb4f2249f636c",
            "visitors_past_secondary.csv 1d57ce3ce6c701838739c1c35046e4862a949e39d9b45d5aad18816a9ca27aa5",
            "sessions_this_year.csv 0c6cd8f31a5ac217f889a32e7825a2446726cbd0bf1aa081f9d8c9139d02e041",
            "sessions_past_main.csv cea0602c35ab73946164c00e816622a36e2feff1bebdfd94ab88717b286bfac5",
            "sessions_past_secondary.csv 0e4f3f3014ed93c91b7d4b1ea78d8b0e97a7212290fc9f1dd3560f862a1a49b1",
            "sessions_quarantined.csv d075613c686d946d52dee3855d198e243e8c12051d7b9db7c3412b683ff8139f",
            "streams.json b8e1a93503bd7f2f60566f531351853b32e72e73954a5b2dbc52a6d497b867ce",
            "scans_past_main.csv 4f8744d9b1c1247ba11f6f1e9e8193d41e486d9b8b932639cd74c834bf51687c",
            "scans_past_secondary.csv e9494c3780a6aa6a23ba8499ff9cccf757fc2e19d467a6a5811e8dcabda4cbd9",
            "job_role_streams.csv 40850ae5a8915ccfc5f52973ac9c7a29aab27e5265540ba4c0ad52d74184ba99",
            "specialisation_streams.csv 4978617e08c09bb9822d8b3d77eda1394886e7c7df9061038b34c103b61e8b9d",
            "theatres.csv 0330e37a5083db5b40985ac8a696ef97056acd12bf58205be2b0bc4a88a27724",
        ],
    };
}
