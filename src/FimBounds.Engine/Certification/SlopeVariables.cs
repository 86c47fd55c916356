using TorchSharp;
using FimBounds.Torch;
using static TorchSharp.torch;

namespace FimBounds.Engine.Certification;

/// <summary>
/// α-CROWN's variables: per activation node, the lower-line slopes [B, S, features…] of its neurons, one per
/// specification row (each row's bound depends on its own slopes only, so one ascent step serves every row at
/// once). Created on the first backward pass from the relaxation's own slopes, then moved by
/// <see cref="Step"/> and kept inside the interval where every slope is sound. It owns them (dispose it): they
/// outlive the dispose scope of the pass that created them.
/// </summary>
internal sealed class SlopeVariables : IDisposable
{
    private readonly Dictionary<BoundNode, (Tensor Alpha, double Floor)> _alphas = new(ReferenceEqualityComparer.Instance);

    /// <summary>The node's variables, created from <paramref name="initial"/> on first use.</summary>
    public Tensor For(BoundNode node, Tensor initial, double floor)
    {
        if (!_alphas.TryGetValue(node, out (Tensor Alpha, double Floor) entry))
        {
            using (DisposeScope own = NewDisposeScope())
            {
                Tensor alpha = initial.detach().clone().requires_grad_(true);
                own.Detach(alpha);
                entry = (alpha, floor);
            }
            _alphas[node] = entry;
        }
        return entry.Alpha;
    }

    public IReadOnlyList<Tensor> All => _alphas.Values.Select(v => v.Alpha).ToList();

    /// <summary>
    /// One projected signed-gradient ascent step of <paramref name="size"/> (gradients in the order of <see cref="All"/>):
    /// the sign makes the step independent of the bound's scale, which differs by orders of magnitude between rows.
    /// </summary>
    public void Step(IReadOnlyList<Tensor> gradients, double size)
    {
        using var noGrad = no_grad();
        int i = 0;
        foreach ((Tensor alpha, double floor) in _alphas.Values)
        {
            Tensor g = gradients[i++];
            // A non-finite gradient (a bound at −∞) says nothing about the direction: no step there.
            Tensor direction = where(g.isfinite(), g.sign(), zeros_like(g));
            alpha.PlusInPlace(direction, size).ClampToInPlace(floor, 1);
        }
    }

    /// <summary>Sets every variable to <paramref name="value"/>(variable, floor) (for tests, which check that any slopes in range are sound).</summary>
    internal void Assign(Func<Tensor, double, Tensor> value)
    {
        using var noGrad = no_grad();
        foreach ((Tensor alpha, double floor) in _alphas.Values)
        {
            alpha.copy_(value(alpha, floor));
        }
    }

    public void Dispose()
    {
        foreach ((Tensor alpha, _) in _alphas.Values)
        {
            alpha.Dispose();
        }
        _alphas.Clear();
    }
}
