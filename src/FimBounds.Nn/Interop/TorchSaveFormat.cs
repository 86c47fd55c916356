using System.IO.Compression;
using FimBounds.Core.Errors;

namespace FimBounds.Nn.Interop;

/// <summary>
/// torch.save's zip format (PyTorch ≥ 1.6): one folder holding data.pkl (the pickled state_dict),
/// data/&lt;key&gt; (each storage's raw little-endian bytes), version and byteorder. Reading accepts a
/// state_dict at the top level or under a "state_dict"/"model" key of a training checkpoint.
/// </summary>
public static class TorchSaveFormat
{
    private static readonly string[] NestedStateDictKeys = ["state_dict", "model_state_dict", "model"];

    public static IReadOnlyList<RawTensor> Read(Stream stream, string source)
    {
        ZipArchive zip;
        try
        {
            zip = new ZipArchive(stream, ZipArchiveMode.Read, leaveOpen: true);
        }
        catch (InvalidDataException e)
        {
            throw new InputException($"{source}: not a torch.save zip archive ({e.Message}); the file is truncated, or was saved with _use_new_zipfile_serialization=False (load and save it again with PyTorch ≥ 1.6).", e);
        }
        using (zip)
        {
            try
            {
                return ReadArchive(zip, source);
            }
            catch (InvalidDataException e)
            {
                throw new InputException($"{source}: corrupt torch.save archive ({e.Message}); copy or save it again.", e);
            }
        }
    }

    public static void Write(Stream stream, IReadOnlyList<RawTensor> tensors, string archiveName = "archive")
    {
        using var zip = new ZipArchive(stream, ZipArchiveMode.Create, leaveOpen: true);
        // Stored, not deflated, as torch.save writes them (PyTorch may memory-map the storages).
        Add(zip, $"{archiveName}/data.pkl", StateDictPickleWriter.Write(tensors));
        Add(zip, $"{archiveName}/byteorder", "little"u8.ToArray());
        for (int i = 0; i < tensors.Count; i++)
        {
            Add(zip, $"{archiveName}/data/{i}", tensors[i].Data);
        }
        Add(zip, $"{archiveName}/version", "3\n"u8.ToArray());
    }

    private static void Add(ZipArchive zip, string name, byte[] bytes)
    {
        ZipArchiveEntry entry = zip.CreateEntry(name, CompressionLevel.NoCompression);
        using Stream output = entry.Open();
        output.Write(bytes);
    }

    private static IReadOnlyList<RawTensor> ReadArchive(ZipArchive zip, string source)
    {
        ZipArchiveEntry pickle = zip.Entries.FirstOrDefault(e => e.FullName.EndsWith("/data.pkl", StringComparison.Ordinal) && e.FullName.Count(c => c == '/') == 1)
            ?? throw new InputException($"{source}: a zip archive without data.pkl, not a torch.save file. Save the weights with torch.save(model.state_dict(), path).");
        string prefix = pickle.FullName[..^"data.pkl".Length];
        ZipArchiveEntry? byteOrder = zip.GetEntry(prefix + "byteorder");
        if (byteOrder is not null && ReadAll(byteOrder).AsSpan().SequenceEqual("big"u8))
        {
            throw new InputException($"{source}: saved on a big-endian machine; load and save it again on a little-endian one.");
        }
        object? root;
        using (Stream data = pickle.Open())
        using (var seekable = new MemoryStream())
        {
            data.CopyTo(seekable);
            seekable.Position = 0;
            root = PickleReader.Read(seekable, source);
        }
        PyDict stateDict = FindStateDict(root, source);
        var storages = new Dictionary<string, byte[]>();
        var tensors = new List<RawTensor>();
        foreach ((object? key, object? value) in stateDict.Entries)
        {
            string name = key as string ?? throw new InputException($"{source}: a state_dict key that is not a string ({key}).");
            if (value is not TensorRef tensor)
            {
                throw new InputException($"{source}: state_dict entry '{name}' is a {Describe(value)}, not a tensor. Save model.state_dict() only.");
            }
            if (!storages.TryGetValue(tensor.Storage.Key, out byte[]? storage))
            {
                ZipArchiveEntry entry = zip.GetEntry(prefix + "data/" + tensor.Storage.Key)
                    ?? throw new InputException($"{source}: the storage of '{name}' (data/{tensor.Storage.Key}) is missing from the archive; the file is truncated or corrupt.");
                storage = ReadAll(entry);
                storages[tensor.Storage.Key] = storage;
            }
            tensors.Add(new RawTensor(name, tensor.Storage.DType, tensor.Size, Gather(storage, tensor, name, source)));
        }
        return tensors;
    }

    /// <summary>The tensor's elements in row-major order, read through its (offset, stride) view.</summary>
    private static byte[] Gather(byte[] storage, TensorRef tensor, string name, string source)
    {
        int size = tensor.Storage.DType.ElementSize;
        long count = RawTensor.ElementCount(tensor.Size);
        long last = tensor.Offset;
        for (int d = 0; d < tensor.Size.Length; d++)
        {
            last += (tensor.Size[d] - 1) * tensor.Stride[d];
        }
        if (tensor.Offset < 0 || tensor.Stride.Length != tensor.Size.Length || (count > 0 && (last + 1) * size > storage.LongLength))
        {
            throw new InputException($"{source}: tensor '{name}' reaches past the end of its storage; the file is truncated or corrupt.");
        }
        byte[] result = new byte[count * size];
        if (StateDictPickleWriter.RowMajorStrides(tensor.Size).SequenceEqual(tensor.Stride))
        {
            Array.Copy(storage, tensor.Offset * size, result, 0, result.LongLength);
            return result;
        }
        long[] index = new long[tensor.Size.Length];
        for (long i = 0; i < count; i++)
        {
            long offset = tensor.Offset;
            for (int d = 0; d < index.Length; d++)
            {
                offset += index[d] * tensor.Stride[d];
            }
            Array.Copy(storage, offset * size, result, i * size, size);
            for (int d = index.Length - 1; d >= 0 && ++index[d] == tensor.Size[d]; d--)
            {
                index[d] = 0;
            }
        }
        return result;
    }

    private static PyDict FindStateDict(object? root, string source)
    {
        if (root is PyDict dict)
        {
            if (dict.Entries.Count == 0 || dict.Entries.Any(e => e.Value is TensorRef))
            {
                return dict;
            }
            foreach (string key in NestedStateDictKeys)
            {
                if (dict.Entries.FirstOrDefault(e => e.Key as string == key).Value is PyDict nested && nested.Entries.Any(e => e.Value is TensorRef))
                {
                    return nested;
                }
            }
        }
        throw new InputException(
            $"{source}: holds a pickled {Describe(root)}, not a state_dict. Save the weights with torch.save(model.state_dict(), path).");
    }

    private static string Describe(object? value) => value switch
    {
        PyObject obj => obj.Type.ToString(),
        PyDict => "dict without tensors",
        null => "None",
        _ => value.GetType().Name,
    };

    private static byte[] ReadAll(ZipArchiveEntry entry)
    {
        using Stream input = entry.Open();
        using var copy = new MemoryStream();
        input.CopyTo(copy);
        return copy.ToArray();
    }
}
