using System.Text;
using FimBounds.Nn.IO;

namespace FimBounds.Cli.Infrastructure;

/// <summary>
/// Writes a file whole or not at all: to a temporary file beside it, then renamed over the target. A path
/// that cannot be written is an input error naming the path, never a stack trace.
/// </summary>
public static class AtomicFile
{
    public static void WriteAllText(string path, string content) =>
        AtomicWrite.To(path, stream => stream.Write(new UTF8Encoding(encoderShouldEmitUTF8Identifier: false).GetBytes(content)));
}
