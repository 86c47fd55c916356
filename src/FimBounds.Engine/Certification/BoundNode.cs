using TorchSharp;
using static TorchSharp.torch;

namespace FimBounds.Engine.Certification;

/// <summary>
/// One layer (or block) of a network as bound propagation sees it, in four passes over the same
/// structure: interval bounds (IBP), forward-mode linear bounds (the intermediate bounds CROWN needs),
/// the backward CROWN pass of a specification, and interval bounds on the input Jacobian's rows
/// (derivatives of nonlinear layers ranging over their values in the region). Nonlinear nodes record
/// their input bounds in the <see cref="BoundRun"/>; later passes relax them from there.
/// </summary>
internal abstract class BoundNode
{
    /// <summary>Interval bounds [B, out…] of the output from those of the input [B, in…].</summary>
    public abstract Interval Ibp(Interval input, BoundRun run);

    /// <summary>Linear bounds of the output in terms of the region's input.</summary>
    public abstract LinearBounds Forward(LinearBounds input, BoundRun run);

    /// <summary>Pulls a lower bound on a specification of the output back to one on the input.</summary>
    public abstract BackwardBound Backward(BackwardBound output, BoundRun run);

    /// <summary>Bounds of cotangent rows [B, K, out…] times this node's Jacobian over the region: [B, K, in…].</summary>
    public abstract Interval JacobianRows(Interval rows, BoundRun run);

    /// <summary>
    /// Full CROWN's intermediate bounds: interval bounds [B, out…] of the output from those of the input, with every
    /// activation's input bounds tightened on the way by CROWN's backward pass through everything before it.
    /// <paramref name="toInput"/> pulls a bound on this node's input back to the network's input; the node's own
    /// <see cref="Backward"/> continues it from its output, so a branch's pullbacks meet where the branches do.
    /// </summary>
    public abstract Interval Tighten(Interval input, Pullback toInput, BoundRun run);

    /// <summary>
    /// Cotangent rows [R, out…] pulled back to [R', in…] with every nonlinearity at its centre derivative over
    /// the region; a layer whose derivative varies records and extends the rows (<see cref="MaskExpansion"/>).
    /// </summary>
    public abstract Cotangents PullBackAtCentre(Cotangents rows, MaskExpansion expansion);
}

/// <summary>Pulls a lower bound on a specification of some layer's value back to one on the network's input.</summary>
internal delegate BackwardBound Pullback(BackwardBound bound);

/// <summary>
/// The state of one bounding run: the region, and the input bounds of every nonlinear node. It owns the bounds it records
/// and the relaxations it builds (dispose it): passes free each layer's temporaries in dispose scopes of their own, which
/// must not take the recorded state with them.
/// </summary>
internal sealed class BoundRun(InputRegion region, BufferPool? buffers = null) : IDisposable
{
    private readonly Dictionary<BoundNode, Interval> _inputs = new(ReferenceEqualityComparer.Instance);
    private readonly Dictionary<BoundNode, object> _relaxations = new(ReferenceEqualityComparer.Instance);
    private readonly List<IDisposable> _owned = new();

    public InputRegion Region { get; } = region;

    /// <summary>Storage the forward linear bounds hand from layer to layer (<see cref="BufferPool"/>); null: none is reused.</summary>
    public BufferPool? Buffers { get; } = buffers;

    /// <summary>
    /// Maps met so far by <see cref="BoundNode.Tighten"/> that IBP does not bound exactly: a general linear map after
    /// another one (IBP drops their shared terms) or any relaxation. Until there are any, IBP's bounds are the exact
    /// ranges over the box and need no backward pass. Diagonal maps and reshapes keep an exact interval exact.
    /// </summary>
    public int InexactSteps { get; set; }

    /// <summary>
    /// α-CROWN's lower-slope variables while it optimises the final backward pass; null otherwise (every other
    /// pass, including full CROWN's intermediate ones, uses the relaxations' own slopes).
    /// </summary>
    public SlopeVariables? Slopes { get; set; }

    /// <summary>General (non-diagonal) linear maps met by <see cref="BoundNode.Tighten"/> so far.</summary>
    public int GeneralMaps { get; set; }

    /// <summary>Records bounds of <paramref name="node"/>'s input, intersected with any recorded before (both sound).</summary>
    public Interval Record(BoundNode node, Interval bounds)
    {
        // Earlier recordings stay owned until the run ends: a caller may still hold them.
        Interval tightened = Own(() => _inputs.TryGetValue(node, out Interval earlier)
            ? earlier.Intersect(bounds)
            : new Interval(bounds.Lower.detach(), bounds.Upper.detach()));
        _inputs[node] = tightened;
        _relaxations.Remove(node);
        return tightened;
    }

    /// <summary>Every node's recorded input bounds, in the order the nodes were first recorded (the network's order).</summary>
    public IReadOnlyList<(BoundNode Node, Interval Bounds)> Recorded => _inputs.Select(entry => (entry.Key, entry.Value)).ToList();

    public Interval InputOf(BoundNode node) => _inputs.TryGetValue(node, out Interval bounds)
        ? bounds
        : throw new InvalidOperationException("a nonlinear node's input bounds are read before any pass recorded them");

    /// <summary>The node's relaxation of its recorded input bounds, built once per recording.</summary>
    public T RelaxationOf<T>(BoundNode node, Func<Interval, T> relax) where T : class
    {
        if (_relaxations.TryGetValue(node, out object? cached))
        {
            return (T)cached;
        }
        T relaxation = Own(() => relax(InputOf(node)));
        _relaxations[node] = relaxation;
        return relaxation;
    }

    /// <summary>Runs <paramref name="make"/> and takes every tensor it creates out of the dispose scopes into the run's care.</summary>
    private T Own<T>(Func<T> make)
    {
        using DisposeScope scope = NewDisposeScope();
        T made = make();
        IDisposable[] created = scope.DisposablesView.ToArray();
        scope.Detach(created);
        _owned.AddRange(created);
        return made;
    }

    public void Dispose()
    {
        foreach (IDisposable tensor in _owned)
        {
            tensor.Dispose();
        }
        _owned.Clear();
        Buffers?.EndRun();
        _inputs.Clear();
        _relaxations.Clear();
    }
}
