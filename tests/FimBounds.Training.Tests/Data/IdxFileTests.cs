using System.Buffers.Binary;
using System.IO.Compression;
using FimBounds.Core.Errors;
using FimBounds.Data.Idx;
using FimBounds.Training.Tests.Fixtures;

namespace FimBounds.Training.Tests.Data;

public sealed class IdxFileTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    private static byte[] Pixels(int count, int rows, int columns) =>
        Enumerable.Range(0, count * rows * columns).Select(i => (byte)(i * 7 % 256)).ToArray();

    [Theory]
    [InlineData("images")]
    [InlineData("images.gz")]
    public void Images_round_trip_raw_and_gzip(string name)
    {
        byte[] pixels = Pixels(5, 3, 4);
        IdxFile.WriteImages(_temp.File(name), pixels, 5, 3, 4);

        var (read, count, rows, columns) = IdxFile.ReadImages(_temp.File(name));

        Assert.Equal((5, 3, 4), (count, rows, columns));
        Assert.Equal(pixels, read);
    }

    [Fact]
    public void Gzip_is_recognised_by_content_not_by_name()
    {
        IdxFile.WriteLabels(_temp.File("labels.gz"), new byte[] { 1, 2, 3 });
        File.Move(_temp.File("labels.gz"), _temp.File("labels-without-suffix"));

        Assert.Equal(new byte[] { 1, 2, 3 }, IdxFile.ReadLabels(_temp.File("labels-without-suffix")));
    }

    [Fact]
    public void Labels_file_read_as_images_is_a_wrong_magic_with_a_hint()
    {
        IdxFile.WriteLabels(_temp.File("labels"), new byte[] { 1, 2, 3 });

        var error = Assert.Throws<InputException>(() => IdxFile.ReadImages(_temp.File("labels")));

        Assert.Contains(_temp.File("labels"), error.Message);
        Assert.Contains("wrong magic number 0x00000801", error.Message);
        Assert.Contains("swapped", error.Message);
    }

    [Fact]
    public void Garbage_has_a_wrong_magic()
    {
        File.WriteAllBytes(_temp.File("junk"), "not an idx file at all"u8.ToArray());

        var error = Assert.Throws<InputException>(() => IdxFile.ReadLabels(_temp.File("junk")));

        Assert.Contains("wrong magic number", error.Message);
        Assert.Contains("junk", error.Message);
    }

    [Fact]
    public void Truncated_pixel_data_is_reported_with_both_sizes()
    {
        IdxFile.WriteImages(_temp.File("images"), Pixels(4, 2, 2), 4, 2, 2);
        byte[] whole = File.ReadAllBytes(_temp.File("images"));
        File.WriteAllBytes(_temp.File("images"), whole[..^3]);

        var error = Assert.Throws<InputException>(() => IdxFile.ReadImages(_temp.File("images")));

        Assert.Contains("truncated", error.Message);
        Assert.Contains("16 bytes", error.Message);
        Assert.Contains("only 13 bytes", error.Message);
    }

    [Fact]
    public void Truncated_header_is_reported()
    {
        File.WriteAllBytes(_temp.File("images"), new byte[] { 0, 0, 8, 3, 0, 0 });

        var error = Assert.Throws<InputException>(() => IdxFile.ReadImages(_temp.File("images")));

        Assert.Contains("truncated", error.Message);
    }

    [Fact]
    public void Truncated_gzip_stream_is_reported_not_crashed()
    {
        IdxFile.WriteImages(_temp.File("images.gz"), Pixels(50, 28, 28), 50, 28, 28);
        byte[] whole = File.ReadAllBytes(_temp.File("images.gz"));
        File.WriteAllBytes(_temp.File("images.gz"), whole[..(whole.Length / 2)]);

        var error = Assert.Throws<InputException>(() => IdxFile.ReadImages(_temp.File("images.gz")));

        Assert.Contains("images.gz", error.Message);
        Assert.True(error.Message.Contains("truncated") || error.Message.Contains("gzip"), error.Message);
    }

    [Fact]
    public void Corrupt_gzip_is_reported()
    {
        byte[] bytes = new byte[64];
        bytes[0] = 0x1F;
        bytes[1] = 0x8B;
        bytes[2] = 0x08;
        Array.Fill(bytes, (byte)0xEE, 10, 54);
        File.WriteAllBytes(_temp.File("bad.gz"), bytes);

        var error = Assert.Throws<InputException>(() => IdxFile.ReadLabels(_temp.File("bad.gz")));

        Assert.Contains("bad.gz", error.Message);
    }

    [Fact]
    public void Count_larger_than_the_data_is_a_truncation_and_smaller_is_trailing_bytes()
    {
        byte[] header = new byte[8];
        BinaryPrimitives.WriteInt32BigEndian(header, IdxFile.LabelsMagic);
        BinaryPrimitives.WriteInt32BigEndian(header.AsSpan(4), 10);
        File.WriteAllBytes(_temp.File("short"), [.. header, .. new byte[9]]);
        File.WriteAllBytes(_temp.File("long"), [.. header, .. new byte[12]]);

        Assert.Contains("truncated", Assert.Throws<InputException>(() => IdxFile.ReadLabels(_temp.File("short"))).Message);
        Assert.Contains("2 unexpected bytes", Assert.Throws<InputException>(() => IdxFile.ReadLabels(_temp.File("long"))).Message);
    }

    [Fact]
    public void Missing_file_names_the_path_and_the_way_out()
    {
        var error = Assert.Throws<InputException>(() => IdxFile.ReadLabels(_temp.File("absent")));

        Assert.Contains("absent", error.Message);
        Assert.Contains("not found", error.Message);
    }

    [Fact]
    public void Written_gzip_is_a_standard_gzip_stream()
    {
        IdxFile.WriteLabels(_temp.File("labels.gz"), new byte[] { 9, 8 });
        using var gzip = new GZipStream(File.OpenRead(_temp.File("labels.gz")), CompressionMode.Decompress);
        using var memory = new MemoryStream();
        gzip.CopyTo(memory);

        Assert.Equal(new byte[] { 0, 0, 8, 1, 0, 0, 0, 2, 9, 8 }, memory.ToArray());
    }
}
