using FimBounds.Core.Errors;

namespace FimBounds.Nn.IO;

/// <summary>
/// Writes a file whole or not at all: into a temporary file beside the target, flushed to disk, then
/// renamed over it, so a crash or Ctrl+C never leaves half a file where a reader expects a whole one.
/// A path that cannot be written is an input error naming the path, never a stack trace.
/// </summary>
public static class AtomicWrite
{
    public static void To(string path, Action<Stream> write)
    {
        string full = Path.GetFullPath(path);
        string temporary = full + ".tmp-" + Guid.NewGuid().ToString("N");
        try
        {
            Directory.CreateDirectory(Path.GetDirectoryName(full)!);
            using (var file = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write))
            {
                write(file);
                file.Flush(flushToDisk: true);
            }
            File.Move(temporary, full, overwrite: true);
        }
        catch (Exception e) when (e is UnauthorizedAccessException or IOException)
        {
            throw new InputException($"{path}: cannot write there ({e.Message}); choose another path.", e);
        }
        finally
        {
            File.Delete(temporary);
        }
    }
}
