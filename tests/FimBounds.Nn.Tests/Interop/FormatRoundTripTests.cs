using FimBounds.Core.Errors;
using FimBounds.Nn.Interop;

namespace FimBounds.Nn.Tests.Interop;

/// <summary>Each format read back what it wrote, and names what is wrong with a damaged file.</summary>
public sealed class FormatRoundTripTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("fimbounds-interop-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Theory]
    [InlineData("weights.pt")]
    [InlineData("weights.safetensors")]
    public void A_written_state_dict_reads_back_identically(string fileName)
    {
        string path = Path.Combine(_directory, fileName);
        IReadOnlyList<RawTensor> written = RawTensors.Sample();

        StateDictFile.Write(path, written);

        RawTensors.AssertEqual(written, StateDictFile.Read(path));
        Assert.Empty(Directory.GetFiles(_directory, "*.tmp-*"));
    }

    [Theory]
    [InlineData("weights.pt", "truncated")]
    [InlineData("weights.safetensors", "truncated")]
    public void A_truncated_file_is_a_one_line_input_error(string fileName, string expected)
    {
        string path = Path.Combine(_directory, fileName);
        StateDictFile.Write(path, RawTensors.Sample());
        byte[] bytes = File.ReadAllBytes(path);
        File.WriteAllBytes(path, bytes[..(bytes.Length * 2 / 3)]);

        var error = Assert.Throws<InputException>(() => StateDictFile.Read(path));

        Assert.Contains(path, error.Message);
        Assert.Contains(expected, error.Message);
        Assert.DoesNotContain('\n', error.Message);
    }

    [Fact]
    public void A_file_in_neither_format_says_so()
    {
        string path = Path.Combine(_directory, "notes.pt");
        File.WriteAllText(path, "these are not weights, just some words in a text file");

        var error = Assert.Throws<InputException>(() => StateDictFile.Read(path));

        Assert.Contains("not a safetensors file", error.Message);
    }

    [Fact]
    public void An_unknown_extension_is_a_usage_error()
    {
        var error = Assert.Throws<UsageException>(() => StateDictFile.Write(Path.Combine(_directory, "weights.h5"), RawTensors.Sample()));

        Assert.Contains(".safetensors", error.Message);
    }

    [Fact]
    public void The_safetensors_header_is_padded_so_the_data_is_aligned()
    {
        string path = Path.Combine(_directory, "weights.safetensors");
        StateDictFile.Write(path, RawTensors.Sample());

        long headerLength = BitConverter.ToInt64(File.ReadAllBytes(path), 0);

        Assert.Equal(0, headerLength % 8);
    }
}
