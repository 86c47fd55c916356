using FimBounds.Core.Errors;

namespace FimBounds.Reports.Output;

/// <summary>
/// Writes a set of files into a directory so that a reader never sees a half-written report: every file
/// is first written into a private staging directory inside the target (same file system), and only when
/// all are complete are they renamed into place (rename is atomic). A failure or a cancellation before
/// that point leaves the target as it was; the staging directory is always removed.
/// </summary>
public static class AtomicDirectoryWriter
{
    public const string StagingPrefix = ".fimbounds-staging-";

    /// <returns>The full paths of the files written, in the order given.</returns>
    public static IReadOnlyList<string> Write(
        string directory,
        IReadOnlyList<ReportFile> files,
        CancellationToken cancellation = default,
        IProgress<string>? progress = null)
    {
        ArgumentNullException.ThrowIfNull(files);
        cancellation.ThrowIfCancellationRequested();
        string target = FullPath(directory);
        string staging = Path.Combine(target, StagingPrefix + Guid.NewGuid().ToString("N"));
        bool createdTarget = !Directory.Exists(target);
        bool completed = false;
        try
        {
            Guard(target, () =>
            {
                Directory.CreateDirectory(target);
                Directory.CreateDirectory(staging);
            });

            foreach (ReportFile file in files)
            {
                cancellation.ThrowIfCancellationRequested();
                string staged = Resolve(staging, file.RelativePath);
                Guard(target, () =>
                {
                    Directory.CreateDirectory(Path.GetDirectoryName(staged)!);
                    File.WriteAllBytes(staged, file.Content);
                });
                progress?.Report(file.RelativePath);
            }

            // The last point at which a cancellation leaves nothing behind; the renames below are quick.
            cancellation.ThrowIfCancellationRequested();
            var written = new List<string>(files.Count);
            foreach (ReportFile file in files)
            {
                string final = Resolve(target, file.RelativePath);
                Guard(target, () =>
                {
                    Directory.CreateDirectory(Path.GetDirectoryName(final)!);
                    File.Move(Resolve(staging, file.RelativePath), final, overwrite: true);
                });
                written.Add(final);
            }
            completed = true;
            return written;
        }
        finally
        {
            TryDelete(staging);
            if (!completed && createdTarget)
            {
                TryDeleteIfEmpty(target); // a failed run leaves no trace, not even an empty directory it made
            }
        }
    }

    private static string FullPath(string directory)
    {
        if (string.IsNullOrWhiteSpace(directory))
        {
            throw new InputException("No output directory was given. Pass one with --out DIR.");
        }
        try
        {
            return Path.GetFullPath(directory);
        }
        catch (Exception e) when (e is ArgumentException or NotSupportedException or PathTooLongException)
        {
            throw new InputException($"'{directory}' is not a usable directory path ({e.Message}). Pass a valid path with --out DIR.", e);
        }
    }

    /// <summary>Keeps the report inside its directory: a relative path may not climb out with "..".</summary>
    private static string Resolve(string root, string relativePath)
    {
        string full = Path.GetFullPath(Path.Combine(root, relativePath));
        string prefix = Path.EndsInDirectorySeparator(root) ? root : root + Path.DirectorySeparatorChar;
        if (!full.StartsWith(prefix, StringComparison.Ordinal))
        {
            throw new ArgumentException($"Report file '{relativePath}' would be written outside '{root}'.", nameof(relativePath));
        }
        return full;
    }

    private static void Guard(string target, Action action)
    {
        try
        {
            action();
        }
        catch (Exception e) when (e is UnauthorizedAccessException or IOException)
        {
            throw new InputException(
                $"Cannot write the report to '{target}': {e.Message} " +
                "Choose a writable directory with --out DIR (it is created if missing), or fix the directory's permissions or free space.", e);
        }
    }

    private static void TryDeleteIfEmpty(string directory)
    {
        try
        {
            if (Directory.Exists(directory) && !Directory.EnumerateFileSystemEntries(directory).Any())
            {
                Directory.Delete(directory);
            }
        }
        catch (Exception e) when (e is UnauthorizedAccessException or IOException)
        {
            // An empty directory is harmless.
        }
    }

    private static void TryDelete(string staging)
    {
        try
        {
            if (Directory.Exists(staging))
            {
                Directory.Delete(staging, recursive: true);
            }
        }
        catch (Exception e) when (e is UnauthorizedAccessException or IOException)
        {
            // Nothing useful to do: the staging directory is hidden and holds no part of the final report.
        }
    }
}
