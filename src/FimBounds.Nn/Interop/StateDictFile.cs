using FimBounds.Core.Errors;
using FimBounds.Nn.IO;

namespace FimBounds.Nn.Interop;

/// <summary>
/// A PyTorch state_dict on disk, in either format PyTorch users hand around: torch.save's .pt/.pth/.bin
/// zip or .safetensors. The format is told by the file's first bytes (a zip, or a safetensors header), so a
/// misnamed file still loads; writing picks it from the extension and replaces the target atomically.
/// </summary>
public static class StateDictFile
{
    public static IReadOnlyList<RawTensor> Read(string path)
    {
        if (!File.Exists(path))
        {
            throw new InputException($"{path}: file not found. Pass a state_dict saved with torch.save (.pt) or safetensors.");
        }
        try
        {
            using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read);
            Span<byte> start = stackalloc byte[4];
            int read = file.ReadAtLeast(start, 4, throwOnEndOfStream: false);
            file.Position = 0;
            if (read == 4 && start.SequenceEqual("PK\u0003\u0004"u8))
            {
                return TorchSaveFormat.Read(file, path);
            }
            if (read >= 1 && start[0] == 0x80)
            {
                throw new InputException($"{path}: saved in torch.save's legacy format (_use_new_zipfile_serialization=False); load it and torch.save it again with PyTorch ≥ 1.6.");
            }
            return SafetensorsFormat.Read(file, path);
        }
        catch (UnauthorizedAccessException e)
        {
            throw new InputException($"{path}: permission denied; make the file readable.", e);
        }
        catch (IOException e)
        {
            throw new InputException($"{path}: cannot be read ({e.Message}).", e);
        }
    }

    /// <summary>Writes safetensors for a .safetensors path, torch.save's zip for .pt, .pth and .bin.</summary>
    public static void Write(string path, IReadOnlyList<RawTensor> tensors)
    {
        string extension = Path.GetExtension(path).ToLowerInvariant();
        Action<Stream> write = extension switch
        {
            ".safetensors" => stream => SafetensorsFormat.Write(stream, tensors),
            ".pt" or ".pth" or ".bin" => stream => TorchSaveFormat.Write(stream, tensors),
            _ => throw new UsageException($"{path}: unknown weights format '{extension}'; name the file .pt (torch.save) or .safetensors."),
        };
        AtomicWrite.To(path, write);
    }
}
