using System.Runtime.ExceptionServices;
using static TorchSharp.torch;

namespace FimBounds.Torch;

/// <summary>
/// Runs independent libtorch jobs on a few OS threads at once, each thread with libtorch at one intra-op
/// thread. Jobs made of many small or mid-sized operations (batched Cholesky factorisations of 64×64 blocks,
/// Lanczos steps) use the cores far better side by side than with each operation split across them, and two
/// operations each splitting itself over every core oversubscribe it (a batched eigen-solve became 26× slower).
/// <para>libtorch's thread count is per OS thread once a thread has run an operation (OpenMP and MKL read a
/// thread-local setting, initialised from the last value set anywhere): each worker sets its own to one, and
/// the caller's value is set again afterwards so that threads started later inherit it. A job makes its
/// tensors in its own dispose scope on its worker (dispose scopes are per thread) and returns plain values;
/// tensors it reads may be shared, since reading a tensor from two threads is safe.</para>
/// </summary>
public static class SingleThreadedWorkers
{
    /// <summary>
    /// The results of <paramref name="jobs"/>, in their order, computed on at most <paramref name="workers"/>
    /// threads taking the jobs in order (put the costliest first). With one worker the jobs run here, on the
    /// calling thread and at its thread count. The first exception a job throws is rethrown here.
    /// </summary>
    public static TResult[] Run<TResult>(IReadOnlyList<Func<TResult>> jobs, int workers)
    {
        var results = new TResult[jobs.Count];
        int threads = Math.Min(workers, jobs.Count);
        if (threads <= 1)
        {
            for (int i = 0; i < jobs.Count; i++)
            {
                results[i] = jobs[i]();
            }
            return results;
        }
        int callerThreads = get_num_threads();
        int next = -1;
        ExceptionDispatchInfo? failure = null;
        void Work()
        {
            set_num_threads(1);
            for (int i = Interlocked.Increment(ref next); i < jobs.Count && Volatile.Read(ref failure) is null; i = Interlocked.Increment(ref next))
            {
                try
                {
                    results[i] = jobs[i]();
                }
                catch (Exception e)
                {
                    Interlocked.CompareExchange(ref failure, ExceptionDispatchInfo.Capture(e), null);
                }
            }
        }
        var started = Enumerable.Range(0, threads).Select(_ => new Thread(Work) { IsBackground = true }).ToList();
        try
        {
            started.ForEach(t => t.Start());
            started.ForEach(t => t.Join());
        }
        finally
        {
            set_num_threads(callerThreads);
        }
        failure?.Throw();
        return results;
    }
}
