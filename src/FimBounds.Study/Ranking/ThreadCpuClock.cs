using System.Runtime.InteropServices;

namespace FimBounds.Study.Ranking;

/// <summary>
/// CPU time of the calling OS thread (Linux: clock_gettime(CLOCK_THREAD_CPUTIME_ID)); null elsewhere. Each model of
/// a study runs on one worker thread with libtorch at one thread, which computes on the thread that calls it, so a
/// model's thread time is what it costs — a measure that, unlike wall time, other processes on the machine barely move.
/// </summary>
public static class ThreadCpuClock
{
    private const int ThreadCpuTimeClock = 3;

    public static TimeSpan? Now()
    {
        if (!OperatingSystem.IsLinux())
        {
            return null;
        }
        try
        {
            return NativeMethods.ClockGetTime(ThreadCpuTimeClock, out TimeSpec time) == 0
                ? TimeSpan.FromTicks(time.Seconds * TimeSpan.TicksPerSecond + time.Nanoseconds / 100)
                : null;
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            return null;
        }
    }

    [StructLayout(LayoutKind.Sequential)]
    private struct TimeSpec
    {
        public long Seconds;
        public long Nanoseconds;
    }

    private static class NativeMethods
    {
        [DllImport("libc.so.6", EntryPoint = "clock_gettime")]
        public static extern int ClockGetTime(int clock, out TimeSpec time);
    }
}
