using System.Text;
using FimBounds.Core.Errors;

namespace FimBounds.Cli.Infrastructure;

/// <summary>
/// Writes a file whole or not at all: to a temporary file beside it, then renamed over the target. A path
/// that cannot be written is an input error naming the path, never a stack trace.
/// </summary>
public static class AtomicFile
{
    public static void WriteAllText(string path, string content)
    {
        string full = Path.GetFullPath(path);
        string? directory = Path.GetDirectoryName(full);
        string temporary = Path.Combine(directory ?? ".", $".{Path.GetFileName(full)}.{Environment.ProcessId}.tmp");
        try
        {
            if (!string.IsNullOrEmpty(directory))
            {
                Directory.CreateDirectory(directory);
            }
            File.WriteAllText(temporary, content, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false));
            File.Move(temporary, full, overwrite: true);
        }
        catch (Exception e) when (e is UnauthorizedAccessException or IOException)
        {
            throw new InputException($"{path}: cannot write there ({e.Message}); choose another path.", e);
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
