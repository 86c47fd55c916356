using FimBounds.Core.Errors;

namespace FimBounds.Study.Ranking;

/// <summary>
/// Checks up front that the report directory can be created, so a long run does not end in a write error.
/// Creates nothing that stays: a probe directory next to the target is made and removed.
/// </summary>
public static class OutputDirectoryCheck
{
    public static void EnsureWritable(string outDir)
    {
        string full = Path.GetFullPath(outDir);
        if (File.Exists(full))
        {
            throw new InputException($"--out {outDir} is a file; pass a directory path for the report.");
        }
        // The nearest existing ancestor must be a directory we can create entries in.
        string? existing = full;
        while (existing is not null && !Directory.Exists(existing))
        {
            if (File.Exists(existing))
            {
                throw new InputException($"cannot create --out {outDir}: {existing} is a file, not a directory; pass a directory path for the report.");
            }
            existing = Path.GetDirectoryName(existing);
        }
        if (existing is null)
        {
            throw new InputException($"cannot create --out {outDir}: no existing parent directory; pass a writable directory.");
        }
        string probe = Path.Combine(existing, $".fimbounds-write-probe-{Environment.ProcessId}-{Guid.NewGuid():N}");
        try
        {
            Directory.CreateDirectory(probe);
            Directory.Delete(probe);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new InputException($"cannot write --out {outDir}: {existing} is not writable ({e.Message}); pass a writable directory.", e);
        }
    }
}
