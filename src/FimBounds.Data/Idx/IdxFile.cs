using System.Buffers.Binary;
using System.IO.Compression;
using FimBounds.Core.Errors;

namespace FimBounds.Data.Idx;

/// <summary>
/// The IDX format of MNIST and Fashion-MNIST: two zero bytes, a type code (0x08 = unsigned byte), the
/// number of dimensions, each dimension as a big-endian int32, then the data. Files may be gzip
/// compressed (recognised by the gzip magic, not by the name). Every defect is reported as an
/// <see cref="InputException"/> naming the file, the problem and the fix.
/// </summary>
public static class IdxFile
{
    /// <summary>Magic number of an unsigned-byte IDX file with 3 dimensions (images).</summary>
    public const int ImagesMagic = 0x00000803;

    /// <summary>Magic number of an unsigned-byte IDX file with 1 dimension (labels).</summary>
    public const int LabelsMagic = 0x00000801;

    private const byte UnsignedByteType = 0x08;

    /// <summary>An images file: N×rows×columns unsigned bytes.</summary>
    public static (byte[] Pixels, int Count, int Rows, int Columns) ReadImages(string path) =>
        ParseImages(path, ReadFile(path));

    /// <summary>A labels file: N unsigned bytes.</summary>
    public static byte[] ReadLabels(string path) => ParseLabels(path, ReadFile(path));

    /// <summary>Images from the bytes of a file (raw or gzip); <paramref name="source"/> names it in errors.</summary>
    public static (byte[] Pixels, int Count, int Rows, int Columns) ParseImages(string source, byte[] raw)
    {
        string path = source;
        byte[] content = Decompress(source, raw);
        int[] dims = ReadHeader(path, content, expectedDimensions: 3, "images");
        (int count, int rows, int columns) = (dims[0], dims[1], dims[2]);
        byte[] data = ReadData(path, content, 4 + 4 * 3, (long)count * rows * columns, $"{count} images of {rows}×{columns} pixels");
        return (data, count, rows, columns);
    }

    /// <summary>Labels from the bytes of a file (raw or gzip); <paramref name="source"/> names it in errors.</summary>
    public static byte[] ParseLabels(string source, byte[] raw)
    {
        string path = source;
        byte[] content = Decompress(source, raw);
        int[] dims = ReadHeader(path, content, expectedDimensions: 1, "labels");
        return ReadData(path, content, 4 + 4, dims[0], $"{dims[0]} labels");
    }

    /// <summary>Writes an images file (gzip-compressed when the name ends in .gz), atomically.</summary>
    public static void WriteImages(string path, ReadOnlySpan<byte> pixels, int count, int rows, int columns)
    {
        if (pixels.Length != (long)count * rows * columns)
        {
            throw new ArgumentException($"{pixels.Length} bytes are not {count} images of {rows}×{columns}");
        }
        byte[] header = new byte[16];
        BinaryPrimitives.WriteInt32BigEndian(header.AsSpan(0), ImagesMagic);
        BinaryPrimitives.WriteInt32BigEndian(header.AsSpan(4), count);
        BinaryPrimitives.WriteInt32BigEndian(header.AsSpan(8), rows);
        BinaryPrimitives.WriteInt32BigEndian(header.AsSpan(12), columns);
        Write(path, header, pixels);
    }

    /// <summary>Writes a labels file (gzip-compressed when the name ends in .gz), atomically.</summary>
    public static void WriteLabels(string path, ReadOnlySpan<byte> labels)
    {
        byte[] header = new byte[8];
        BinaryPrimitives.WriteInt32BigEndian(header.AsSpan(0), LabelsMagic);
        BinaryPrimitives.WriteInt32BigEndian(header.AsSpan(4), labels.Length);
        Write(path, header, labels);
    }

    private static byte[] ReadFile(string path)
    {
        if (!File.Exists(path))
        {
            throw new InputException($"{path}: file not found. Check the path, or use the embedded subset (omit --data).");
        }
        try
        {
            return File.ReadAllBytes(path);
        }
        catch (IOException e)
        {
            throw new InputException($"{path}: cannot be read ({e.Message}).", e);
        }
        catch (UnauthorizedAccessException e)
        {
            throw new InputException($"{path}: permission denied; make the file readable.", e);
        }
    }

    /// <summary>The bytes, decompressed when they start with the gzip magic.</summary>
    private static byte[] Decompress(string path, byte[] raw)
    {
        if (raw.Length < 2 || raw[0] != 0x1F || raw[1] != 0x8B)
        {
            return raw;
        }
        try
        {
            using var gzip = new GZipStream(new MemoryStream(raw), CompressionMode.Decompress);
            using var output = new MemoryStream(raw.Length * 2);
            gzip.CopyTo(output);
            return output.ToArray();
        }
        catch (InvalidDataException e)
        {
            throw new InputException($"{path}: corrupt gzip data ({e.Message}). Re-download or re-extract the file.", e);
        }
        catch (EndOfStreamException e)
        {
            throw new InputException($"{path}: gzip data ends early (truncated file). Re-download or re-extract the file.", e);
        }
    }

    private static int[] ReadHeader(string path, byte[] content, int expectedDimensions, string kind)
    {
        int expectedMagic = expectedDimensions == 3 ? ImagesMagic : LabelsMagic;
        if (content.Length < 4)
        {
            throw new InputException($"{path}: only {content.Length} bytes, too short for an IDX header; the file is truncated or not an IDX {kind} file.");
        }
        int magic = BinaryPrimitives.ReadInt32BigEndian(content);
        if (content[0] != 0 || content[1] != 0 || content[2] != UnsignedByteType || content[3] != expectedDimensions)
        {
            throw new InputException(
                $"{path}: wrong magic number 0x{magic:X8} (expected 0x{expectedMagic:X8} for IDX {kind}). " +
                $"The file is not an IDX {kind} file{(magic == (expectedDimensions == 3 ? LabelsMagic : ImagesMagic) ? " (it looks like the " + (expectedDimensions == 3 ? "labels" : "images") + " file: are the two swapped?)" : "")}.");
        }
        int headerLength = 4 + 4 * expectedDimensions;
        if (content.Length < headerLength)
        {
            throw new InputException($"{path}: the IDX header needs {headerLength} bytes but the file has {content.Length}; it is truncated.");
        }
        int[] dims = new int[expectedDimensions];
        for (int d = 0; d < expectedDimensions; d++)
        {
            dims[d] = BinaryPrimitives.ReadInt32BigEndian(content.AsSpan(4 + 4 * d));
            if (dims[d] < 0 || (d > 0 && dims[d] == 0))
            {
                throw new InputException($"{path}: dimension {d} of the IDX header is {dims[d]}; the header is corrupt.");
            }
        }
        return dims;
    }

    private static byte[] ReadData(string path, byte[] content, int offset, long expected, string what)
    {
        long actual = content.Length - offset;
        if (actual < expected)
        {
            throw new InputException($"{path}: truncated: the header announces {what} ({expected} bytes) but only {actual} bytes follow. Re-download or re-extract the file.");
        }
        if (actual > expected)
        {
            throw new InputException($"{path}: {actual - expected} unexpected bytes after the {what} the header announces; the count in the header is wrong or the file is corrupt.");
        }
        return content.AsSpan(offset).ToArray();
    }

    private static void Write(string path, ReadOnlySpan<byte> header, ReadOnlySpan<byte> data)
    {
        string? directory = Path.GetDirectoryName(Path.GetFullPath(path));
        if (directory is not null)
        {
            Directory.CreateDirectory(directory);
        }
        string temporary = path + ".tmp-" + Guid.NewGuid().ToString("N");
        try
        {
            using (var file = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write))
            {
                if (path.EndsWith(".gz", StringComparison.OrdinalIgnoreCase))
                {
                    using var gzip = new GZipStream(file, CompressionLevel.SmallestSize);
                    gzip.Write(header);
                    gzip.Write(data);
                }
                else
                {
                    file.Write(header);
                    file.Write(data);
                }
            }
            File.Move(temporary, path, overwrite: true);
        }
        finally
        {
            if (File.Exists(temporary))
            {
                File.Delete(temporary);
            }
        }
    }
}
