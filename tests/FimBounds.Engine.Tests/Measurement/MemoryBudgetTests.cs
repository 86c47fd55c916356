using FimBounds.Engine.Measurement;

namespace FimBounds.Engine.Tests.Measurement;

/// <summary>The chunk budget follows the memory available, with --max-memory as a cap.</summary>
public sealed class MemoryBudgetTests
{
    [Fact]
    public void Available_memory_is_read_from_the_meminfo_line()
    {
        string path = Path.GetTempFileName();
        try
        {
            File.WriteAllLines(path, new[] { "MemTotal:       24576000 kB", "MemFree:         1000000 kB", "MemAvailable:   12288000 kB" });
            Assert.Equal(12288000L * 1024, MemoryBudget.ReadMemAvailable(path));
            File.WriteAllLines(path, new[] { "MemTotal:       24576000 kB" });
            Assert.Null(MemoryBudget.ReadMemAvailable(path));
        }
        finally
        {
            File.Delete(path);
        }
        Assert.Null(MemoryBudget.ReadMemAvailable(Path.Combine(Path.GetTempPath(), Guid.NewGuid().ToString("N"), "meminfo")));
    }

    [Fact]
    public void Without_a_cap_the_budget_is_half_the_available_memory()
    {
        (long bytes, string source) = MemoryBudget.For(null);
        long available = MemoryBudget.AvailableBytes();
        Assert.True(available > 0);
        // Available memory moves between the two reads; allow 5 % of it.
        Assert.InRange(bytes, available * 0.45, available * 0.55);
        Assert.Contains("available", source);
    }

    [Fact]
    public void A_cap_below_the_available_share_is_the_budget()
    {
        (long bytes, string source) = MemoryBudget.For(1);
        Assert.Equal(1024L * 1024, bytes);
        Assert.Contains("--max-memory", source);
        (long uncapped, _) = MemoryBudget.For(long.MaxValue / (1024 * 1024 * 2));
        Assert.True(uncapped <= MemoryBudget.AvailableBytes());
    }
}
