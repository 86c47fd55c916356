using FimBounds.Torch;
using static TorchSharp.torch;

namespace FimBounds.Engine.Tests.Foundation;

/// <summary>Jobs side by side on worker threads: results in order, libtorch at one thread on each worker, the caller's count kept, failures rethrown.</summary>
public sealed class SingleThreadedWorkersTests
{
    [Fact]
    public void Jobs_run_on_worker_threads_at_one_libtorch_thread_and_come_back_in_order()
    {
        set_num_threads(2);
        try
        {
            int caller = Environment.CurrentManagedThreadId;
            var jobs = Enumerable.Range(0, 12).Select(i => (Func<(int Value, int Thread, int Torch)>)(() =>
            {
                using var scope = NewDisposeScope();
                int value = (int)ones(new long[] { i + 1 }, dtype: float64).sum().item<double>();
                Thread.Sleep(5);   // long enough that both workers take jobs
                return (value, Environment.CurrentManagedThreadId, get_num_threads());
            })).ToList();

            var results = SingleThreadedWorkers.Run(jobs, 2);

            Assert.Equal(Enumerable.Range(1, 12), results.Select(r => r.Value));
            Assert.All(results, r => Assert.NotEqual(caller, r.Thread));
            Assert.Equal(2, results.Select(r => r.Thread).Distinct().Count());
            Assert.All(results, r => Assert.Equal(1, r.Torch));
            Assert.Equal(2, get_num_threads());
        }
        finally
        {
            set_num_threads(1);
        }
    }

    [Fact]
    public void One_worker_runs_the_jobs_on_the_calling_thread()
    {
        int caller = Environment.CurrentManagedThreadId;
        int[] threads = SingleThreadedWorkers.Run(new Func<int>[] { () => Environment.CurrentManagedThreadId, () => Environment.CurrentManagedThreadId }, 1);
        Assert.All(threads, t => Assert.Equal(caller, t));
    }

    [Fact]
    public void A_failing_job_fails_the_call_with_its_own_exception()
    {
        var jobs = new Func<int>[] { () => 1, () => throw new InvalidOperationException("job 2 failed"), () => 3 };
        var error = Assert.Throws<InvalidOperationException>(() => SingleThreadedWorkers.Run(jobs, 2));
        Assert.Equal("job 2 failed", error.Message);
    }
}
