using System.Buffers.Binary;
using System.Text;
using System.Text.Json;
using FimBounds.Core.Errors;
using FimBounds.Nn.IO;
using FimBounds.Nn.Specs;
using static TorchSharp.torch;

namespace FimBounds.Nn.Checkpoints;

/// <summary>
/// One file per trained model: the 8-byte magic "FIMBCKPT", a little-endian int32 header length, the
/// <see cref="CheckpointMetadata"/> as UTF-8 JSON, then TorchSharp's state-dict serialisation of the
/// weights. One file (not weights + sidecar) so a checkpoint is written atomically (temp file + rename)
/// and can never be half old and half new; the header is read and checked against the spec before the
/// weights are loaded.
/// </summary>
public static class Checkpoint
{
    private static readonly byte[] Magic = "FIMBCKPT"u8.ToArray();
    private const int MaxHeaderBytes = 1 << 20;

    private static readonly JsonSerializerOptions Json = new() { WriteIndented = true };

    /// <summary>Writes <paramref name="model"/>'s weights with <paramref name="metadata"/> atomically.</summary>
    public static void Save(string path, nn.Module model, CheckpointMetadata metadata)
    {
        AtomicWrite.To(path, file =>
        {
            byte[] header = JsonSerializer.SerializeToUtf8Bytes(metadata, Json);
            file.Write(Magic);
            Span<byte> length = stackalloc byte[4];
            BinaryPrimitives.WriteInt32LittleEndian(length, header.Length);
            file.Write(length);
            file.Write(header);
            // TorchSharp's save(Stream) disposes the stream it is given; the writer leaves ours open.
            using var writer = new BinaryWriter(file, Encoding.UTF8, leaveOpen: true);
            model.save(writer);
        });
    }

    /// <summary>The header alone (cheap: the weights are not read).</summary>
    public static CheckpointMetadata ReadMetadata(string path)
    {
        using FileStream file = Open(path);
        return ReadHeader(path, file);
    }

    /// <summary>
    /// A fresh model of <paramref name="spec"/> with the checkpoint's weights, in eval mode. Fails with
    /// an <see cref="InputException"/> when the checkpoint belongs to another spec or structure.
    /// </summary>
    public static (nn.Module<Tensor, Tensor> Model, CheckpointMetadata Metadata) Load(string path, IModelSpec spec)
    {
        using FileStream file = Open(path);
        CheckpointMetadata metadata = ReadHeader(path, file);
        EnsureMatches(path, metadata, spec);
        nn.Module<Tensor, Tensor> model = spec.CreateModel();
        try
        {
            model.load(file, strict: true);
        }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException or IOException or EndOfStreamException or FormatException)
        {
            model.Dispose();
            throw new InputException($"{path}: the weights do not load into {spec.Name} ({e.Message}); the file is truncated or corrupt. Retrain with 'fimbounds train {spec.Name}'.", e);
        }
        model.eval();
        return (model, metadata);
    }

    /// <summary>Throws unless the checkpoint was trained for exactly this spec and structure.</summary>
    public static void EnsureMatches(string path, CheckpointMetadata metadata, IModelSpec spec)
    {
        string expectedHash = StructureHash.Of(spec.Description);
        if (!string.Equals(metadata.SpecName, spec.Name, StringComparison.Ordinal))
        {
            throw new InputException(
                $"{path} holds weights of '{metadata.SpecName}', not '{spec.Name}'. Pass the spec it was trained for " +
                $"('{metadata.SpecName}'), or train {spec.Name} with 'fimbounds train {spec.Name}'.");
        }
        if (!string.Equals(metadata.StructureHash, expectedHash, StringComparison.Ordinal))
        {
            throw new InputException(
                $"{path} was trained for an earlier structure of '{spec.Name}' ({Short(metadata.StructureHash)}; the spec is now {Short(expectedHash)}): " +
                $"its layers changed since. Retrain with 'fimbounds train {spec.Name}'.");
        }
    }

    private static string Short(string hash) => hash.Length > 19 ? hash[..19] + "…" : hash;

    private static FileStream Open(string path)
    {
        if (!File.Exists(path))
        {
            throw new InputException($"{path}: checkpoint not found. Train one with 'fimbounds train <spec> --out {path}'.");
        }
        try
        {
            return new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read);
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

    private static CheckpointMetadata ReadHeader(string path, Stream file)
    {
        Span<byte> start = stackalloc byte[Magic.Length + 4];
        if (file.ReadAtLeast(start, start.Length, throwOnEndOfStream: false) < start.Length || !start[..Magic.Length].SequenceEqual(Magic))
        {
            throw new InputException($"{path}: not a FimBounds checkpoint (no FIMBCKPT header). Checkpoints are written by 'fimbounds train'.");
        }
        int length = BinaryPrimitives.ReadInt32LittleEndian(start[Magic.Length..]);
        if (length <= 0 || length > MaxHeaderBytes)
        {
            throw new InputException($"{path}: corrupt checkpoint header (length {length}). Retrain the model.");
        }
        byte[] header = new byte[length];
        if (file.ReadAtLeast(header, length, throwOnEndOfStream: false) < length)
        {
            throw new InputException($"{path}: truncated checkpoint (the header is cut off). Retrain the model.");
        }
        CheckpointMetadata? metadata;
        try
        {
            metadata = JsonSerializer.Deserialize<CheckpointMetadata>(header, Json);
        }
        catch (JsonException e)
        {
            throw new InputException($"{path}: corrupt checkpoint header ({e.Message}). Retrain the model.", e);
        }
        if (metadata is null)
        {
            throw new InputException($"{path}: empty checkpoint header. Retrain the model.");
        }
        if (metadata.FormatVersion != CheckpointMetadata.CurrentFormatVersion)
        {
            throw new InputException(
                $"{path}: checkpoint format version {metadata.FormatVersion}; this FimBounds reads version {CheckpointMetadata.CurrentFormatVersion}. Retrain the model with this version.");
        }
        return metadata;
    }

    /// <summary>The version string written into new checkpoints.</summary>
    public static string WriterVersion =>
        "FimBounds " + (typeof(Checkpoint).Assembly.GetName().Version?.ToString(3) ?? "?");
}
