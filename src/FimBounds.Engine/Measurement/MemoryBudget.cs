namespace FimBounds.Engine.Measurement;

/// <summary>
/// How many bytes one chunk of measurement work may use: half of the memory the system reports available
/// (the rest stays for the model, libtorch's caches and everything else running), never more than the
/// user's cap. A fixed default would refuse full-size models on a machine with room to spare (resnet18
/// with Lanczos needs ≈ 1.5 GB per input) and could overcommit a small one.
/// </summary>
public static class MemoryBudget
{
    /// <summary>The share of the available memory one chunk may take.</summary>
    public const double AvailableShare = 0.5;

    /// <summary>The chunk budget in bytes, and where it came from (for error messages).</summary>
    public static (long Bytes, string Source) For(long? capMegabytes)
    {
        long available = AvailableBytes();
        long share = (long)(available * AvailableShare);
        string fromAvailable = $"half of the {available / (1024 * 1024):N0} MB available";
        if (capMegabytes is { } cap && cap * 1024L * 1024L <= share)
        {
            return (cap * 1024L * 1024L, "the --max-memory cap");
        }
        return (share, fromAvailable);
    }

    /// <summary>MemAvailable of /proc/meminfo where there is one; otherwise what the runtime sees as free.</summary>
    public static long AvailableBytes()
    {
        if (ReadMemAvailable("/proc/meminfo") is { } fromKernel)
        {
            return fromKernel;
        }
        GCMemoryInfo info = GC.GetGCMemoryInfo();
        return Math.Max(0, info.TotalAvailableMemoryBytes - info.MemoryLoadBytes);
    }

    /// <summary>The "MemAvailable: N kB" line of a meminfo file, in bytes; null when absent or unreadable.</summary>
    internal static long? ReadMemAvailable(string path)
    {
        try
        {
            foreach (string line in File.ReadLines(path))
            {
                if (!line.StartsWith("MemAvailable:", StringComparison.Ordinal))
                {
                    continue;
                }
                string[] parts = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
                return parts.Length >= 2 && long.TryParse(parts[1], out long kilobytes) ? kilobytes * 1024 : null;
            }
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
        return null;
    }
}
