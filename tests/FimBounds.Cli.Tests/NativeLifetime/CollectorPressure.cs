namespace FimBounds.Cli.Tests.NativeLifetime;

/// <summary>
/// A background thread that forces full collections and runs finalizers back to back while it lives:
/// any native object left to the finalizer (an implicit Scalar, a tensor outside every dispose scope)
/// is then freed within microseconds of becoming unreachable — during the native call that still reads
/// it, if that is where it became unreachable. The same pressure as shared/tools/gc-stress-hook, in process.
/// </summary>
public sealed class CollectorPressure : IDisposable
{
    private readonly Thread _thread;
    private volatile bool _stop;

    public CollectorPressure()
    {
        _thread = new Thread(() =>
        {
            while (!_stop)
            {
                GC.Collect();
                GC.WaitForPendingFinalizers();
                Collections++;
                // A breath between collections lets the work under test run, so collections land at
                // every point of it, native calls included (back to back they mostly find it suspended).
                Thread.Sleep(1);
            }
        }) { IsBackground = true, Name = "collector-pressure" };
        _thread.Start();
    }

    /// <summary>How many forced collections ran (so a test can show the pressure was real).</summary>
    public int Collections { get; private set; }

    public void Dispose()
    {
        _stop = true;
        _thread.Join();
    }
}
