using static TorchSharp.torch;

namespace FimBounds.Torch;

/// <summary>
/// A seeded random stream of its own on libtorch's default CPU generator, for code that can only draw from that
/// one process-wide generator (module initialisers, dropout in training mode) while other threads do the same.
/// The stream keeps the generator's state between uses and installs it under a process-wide lock for each use,
/// so its draws are exactly those of a process that called <c>manual_seed(seed)</c> and then ran only this
/// stream's uses, in order — whatever runs on other threads meanwhile. Owned and used by one thread.
/// </summary>
public sealed class DefaultGeneratorStream : IDisposable
{
    // Every stream's uses, on every thread, take turns on the one default generator.
    private static readonly Lock Turn = new();

    private Tensor _state;

    public DefaultGeneratorStream(long seed)
    {
        lock (Turn)
        {
            using Generator generator = manual_seed(seed);
            _state = generator.get_state().DetachFromDisposeScope();
        }
    }

    /// <summary>Runs <paramref name="use"/> with the default generator in this stream's state, and keeps the state it leaves.</summary>
    public T Use<T>(Func<T> use)
    {
        lock (Turn)
        {
            using Generator generator = Generator.Default;
            generator.set_state(_state);
            try
            {
                return use();
            }
            finally
            {
                _state.Dispose();
                _state = generator.get_state().DetachFromDisposeScope();
            }
        }
    }

    public void Dispose() => _state.Dispose();
}
