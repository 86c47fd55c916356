using CsCheck;
using Xunit.Sdk;

namespace FimBounds.Core.Tests.Support;

/// <summary>
/// Property checks over a fixed sequence of cases. CsCheck's <c>Sample(seed:)</c> replays only its first iteration
/// from the seed and draws every later one from a fresh random seed, so a run could fail on a case no earlier run
/// saw. Here every case comes from one generator started at the seed: each run checks the same cases. A failure
/// names the case's own seed; <c>Sample(…, iter: 1, seed: that)</c> replays it alone, with CsCheck's shrinking.
/// </summary>
internal static class PinnedSample
{
    public static void SamplePinned<T>(this Gen<T> gen, Action<T> check, int iter, string seed)
    {
        PCG random = PCG.Parse(seed);
        for (int i = 0; i < iter; i++)
        {
            ulong state = random.State;
            T value = gen.Generate(random, null, out _);
            try
            {
                check(value);
            }
            catch (Exception e)
            {
                throw new XunitException($"case {i} of {iter} failed (its own seed: \"{random.ToString(state)}\"): {e.GetType().Name}: {e.Message}");
            }
        }
    }

    public static void SamplePinned<T1, T2>(this Gen<(T1, T2)> gen, Action<T1, T2> check, int iter, string seed) =>
        gen.SamplePinned(t => check(t.Item1, t.Item2), iter, seed);

    public static void SamplePinned<T1, T2, T3, T4>(this Gen<(T1, T2, T3, T4)> gen, Action<T1, T2, T3, T4> check, int iter, string seed) =>
        gen.SamplePinned(t => check(t.Item1, t.Item2, t.Item3, t.Item4), iter, seed);
}
