using TorchSharp;
using static TorchSharp.torch;

namespace FimBounds.Engine.Certification;

/// <summary>
/// Storage for the forward linear bounds that is handed back between layers instead of freed. Why: every layer's bounds
/// are tens to hundreds of MB (one row per input pixel), glibc serves each allocation above 32 MB with fresh pages from
/// the kernel, and touching them cost a quarter of CROWN's time on densenet-mini (780,000 page faults per input).
/// Only <see cref="RowSlices.Map"/> rents (outputs above its slice budget, which it fills by copying, so they never alias
/// an input), and a buffer comes back only through <see cref="Return"/>, called where a layer's input is known to be
/// consumed. A rented tensor a dispose scope frees instead is forgotten when the run ends (<see cref="EndRun"/>), and its
/// storage goes with its last view. The certifier keeps one pool for all its runs, so a buffer's pages are touched once.
/// </summary>
internal sealed class BufferPool : IDisposable
{
    private readonly List<Tensor> _free = new();
    private readonly Dictionary<Tensor, Tensor> _rented = new(ReferenceEqualityComparer.Instance);

    /// <summary>An uninitialised tensor of <paramref name="shape"/> on the smallest free buffer that holds it (or a new one).</summary>
    public Tensor Rent(long[] shape, ScalarType dtype, Device device)
    {
        lock (_free)
        {
            return RentLocked(shape, dtype, device);
        }
    }

    private Tensor RentLocked(long[] shape, ScalarType dtype, Device device)
    {
        long count = shape.Aggregate(1L, (a, b) => a * b);
        Tensor? storage = _free.Where(b => b.dtype == dtype && b.device_type == device.type && b.device_index == device.index && b.numel() >= count).MinBy(b => b.numel());
        if (storage is null)
        {
            using DisposeScope scope = NewDisposeScope();
            storage = empty(count, dtype: dtype, device: device);
            scope.Detach(storage);
        }
        else
        {
            _free.Remove(storage);
        }
        Tensor view = storage.narrow(0, 0, count).view(shape);
        _rented[view] = storage;
        return view;
    }

    /// <summary>Frees <paramref name="tensor"/>; its buffer is reused when it was rented here (the caller must not read it again).</summary>
    public void Return(Tensor tensor)
    {
        lock (_free)
        {
            if (_rented.Remove(tensor, out Tensor? storage))
            {
                _free.Add(storage);
            }
        }
        tensor.Dispose();
    }

    /// <summary>
    /// Forgets the buffers rented and never returned: whatever still reads them keeps them alive through its views, and
    /// they are freed with the last one. Only returned buffers carry over to the next run.
    /// </summary>
    public void EndRun()
    {
        lock (_free)
        {
            foreach (Tensor storage in _rented.Values)
            {
                storage.Dispose();
            }
            _rented.Clear();
        }
    }

    public void Dispose()
    {
        lock (_free)
        {
            foreach (Tensor storage in _free.Concat(_rented.Values))
            {
                storage.Dispose();
            }
            _free.Clear();
            _rented.Clear();
        }
    }
}
