using static TorchSharp.torch;

namespace FimBounds.Torch;

/// <summary>
/// libtorch's intra-op thread count set for a scope and handed back to the caller's value when disposed.
/// The count is process state read by every later operation on the calling thread (and by threads started
/// later), so a workflow that needs one thread must not leave an in-process caller — a test host, a library
/// user — running at one thread after it returns.
/// </summary>
public readonly struct IntraOpThreads : IDisposable
{
    private readonly int _callerThreads;

    private IntraOpThreads(int callerThreads) => _callerThreads = callerThreads;

    /// <summary>Sets the count to <paramref name="threads"/>; disposing sets the caller's count again.</summary>
    public static IntraOpThreads Set(int threads)
    {
        var scope = new IntraOpThreads(get_num_threads());
        set_num_threads(threads);
        return scope;
    }

    public void Dispose() => set_num_threads(_callerThreads);
}
