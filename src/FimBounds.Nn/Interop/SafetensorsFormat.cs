using System.Buffers.Binary;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using FimBounds.Core.Errors;

namespace FimBounds.Nn.Interop;

/// <summary>
/// The safetensors format (Hugging Face): a little-endian u64 header length, a JSON header mapping each
/// name to {dtype, shape, data_offsets} (offsets relative to the data that follows; an optional
/// "__metadata__" object of strings), then the tensors' bytes back to back. Written here because it is
/// that small: no pickle, no code execution, so it is the safe way to hand weights over.
/// </summary>
public static class SafetensorsFormat
{
    private const string MetadataKey = "__metadata__";
    private const long MaxHeaderBytes = 100L << 20;

    public static IReadOnlyList<RawTensor> Read(Stream stream, string source)
    {
        Span<byte> lengthBytes = stackalloc byte[8];
        if (stream.ReadAtLeast(lengthBytes, 8, throwOnEndOfStream: false) < 8)
        {
            throw Truncated(source);
        }
        ulong headerLength = BinaryPrimitives.ReadUInt64LittleEndian(lengthBytes);
        if (headerLength < 2 || headerLength > MaxHeaderBytes)
        {
            throw new InputException($"{source}: not a safetensors file (header length {headerLength}). Save it with safetensors' save_file, or use a torch.save .pt file.");
        }
        byte[] header = new byte[headerLength];
        if (stream.ReadAtLeast(header, header.Length, throwOnEndOfStream: false) < header.Length)
        {
            throw Truncated(source);
        }
        JsonObject entries = ParseHeader(header, source);
        using var data = new MemoryStream();
        stream.CopyTo(data);
        byte[] buffer = data.GetBuffer();
        long dataLength = data.Length;

        var tensors = new List<RawTensor>();
        foreach ((string name, JsonNode? node) in entries)
        {
            if (name == MetadataKey)
            {
                continue;
            }
            (TensorDType dtype, long[] shape, long begin, long end) = ParseEntry(name, node, source);
            if (end > dataLength)
            {
                throw Truncated(source);
            }
            long expected = RawTensor.ElementCount(shape) * dtype.ElementSize;
            if (end - begin != expected)
            {
                throw new InputException($"{source}: tensor '{name}' has {end - begin} bytes for shape [{string.Join(", ", shape)}] of {dtype.SafetensorsName} (expected {expected}); the file is corrupt.");
            }
            tensors.Add(new RawTensor(name, dtype, shape, buffer.AsSpan((int)begin, (int)(end - begin)).ToArray()));
        }
        return tensors;
    }

    public static void Write(Stream stream, IReadOnlyList<RawTensor> tensors, IReadOnlyDictionary<string, string>? metadata = null)
    {
        var header = new JsonObject();
        if (metadata is { Count: > 0 })
        {
            var meta = new JsonObject();
            foreach ((string key, string value) in metadata)
            {
                meta[key] = value;
            }
            header[MetadataKey] = meta;
        }
        long offset = 0;
        foreach (RawTensor tensor in tensors)
        {
            var shape = new JsonArray();
            foreach (long dim in tensor.Shape)
            {
                shape.Add(dim);
            }
            header[tensor.Name] = new JsonObject
            {
                ["dtype"] = tensor.DType.SafetensorsName,
                ["shape"] = shape,
                ["data_offsets"] = new JsonArray(offset, offset + tensor.Data.LongLength),
            };
            offset += tensor.Data.LongLength;
        }
        byte[] json = Encoding.UTF8.GetBytes(header.ToJsonString());
        // Pad the header with spaces to a multiple of 8 so the data starts aligned, as the reference writer does.
        int padded = (json.Length + 7) / 8 * 8;
        Span<byte> length = stackalloc byte[8];
        BinaryPrimitives.WriteUInt64LittleEndian(length, (ulong)padded);
        stream.Write(length);
        stream.Write(json);
        for (int i = json.Length; i < padded; i++)
        {
            stream.WriteByte((byte)' ');
        }
        foreach (RawTensor tensor in tensors)
        {
            stream.Write(tensor.Data);
        }
    }

    private static JsonObject ParseHeader(byte[] header, string source)
    {
        try
        {
            return JsonNode.Parse(header) as JsonObject
                ?? throw new InputException($"{source}: the safetensors header is not a JSON object; the file is corrupt.");
        }
        catch (JsonException e)
        {
            throw new InputException($"{source}: not a safetensors file (its header is not JSON: {e.Message}). Save it with safetensors' save_file.", e);
        }
    }

    private static (TensorDType DType, long[] Shape, long Begin, long End) ParseEntry(string name, JsonNode? node, string source)
    {
        try
        {
            string dtypeName = node!["dtype"]!.GetValue<string>();
            TensorDType dtype = TensorDType.FromSafetensorsName(dtypeName)
                ?? throw new InputException($"{source}: tensor '{name}' has dtype {dtypeName}, which FimBounds does not read (supported: {string.Join(", ", TensorDType.All.Select(t => t.SafetensorsName))}).");
            long[] shape = node["shape"]!.AsArray().Select(d => d!.GetValue<long>()).ToArray();
            JsonArray offsets = node["data_offsets"]!.AsArray();
            long begin = offsets[0]!.GetValue<long>();
            long end = offsets[1]!.GetValue<long>();
            if (offsets.Count != 2 || begin < 0 || end < begin || shape.Any(d => d < 0))
            {
                throw new InputException($"{source}: tensor '{name}' has an invalid shape or data_offsets; the file is corrupt.");
            }
            return (dtype, shape, begin, end);
        }
        catch (Exception e) when (e is NullReferenceException or InvalidOperationException or FormatException or JsonException)
        {
            throw new InputException($"{source}: tensor '{name}' lacks a valid dtype, shape or data_offsets; the file is corrupt.", e);
        }
    }

    private static InputException Truncated(string source) =>
        new($"{source}: truncated safetensors file (it ends before its data does). Copy or save it again.");
}
