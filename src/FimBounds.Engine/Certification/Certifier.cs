using FimBounds.Torch;
using TorchSharp;
using static TorchSharp.torch;

namespace FimBounds.Engine.Certification;

/// <summary>
/// Certified bounds for one model over perturbation balls around its inputs: margins, certified
/// predictions, certified radii and the local FIM bound Λ(x, ε). Built once per model (weights copied to
/// float64 into tensors it owns — dispose it); every call works inside its own dispose scope, one input
/// at a time (the forward linear bounds hold d rows per layer value).
/// </summary>
public sealed class Certifier : IDisposable
{
    private readonly IReadOnlyList<IDisposable> _owned;
    private readonly BoundNode _graph;
    private readonly long[] _inputShape;
    private readonly BufferPool? _buffers;

    private Certifier(BoundNode graph, IReadOnlyList<IDisposable> owned, long[] inputShape, BufferPool? buffers)
    {
        _graph = graph;
        _owned = owned;
        _inputShape = inputShape;
        _buffers = buffers;
    }

    /// <summary>
    /// The certifier of <paramref name="model"/> (eval mode) for inputs of <paramref name="inputShape"/> [C, H, W]
    /// in pixel units. A layer certification does not cover throws a <see cref="Core.Errors.UsageException"/>.
    /// </summary>
    public static Certifier For(nn.Module<Tensor, Tensor> model, long[] inputShape) => For(model, inputShape, CertifierOptions.Default);

    /// <summary>The certifier with the savings <paramref name="options"/> switch on (tests compare them with none).</summary>
    internal static Certifier For(nn.Module<Tensor, Tensor> model, long[] inputShape, CertifierOptions options)
    {
        using DisposeScope scope = NewDisposeScope();
        BoundNode graph = BoundGraphBuilder.Build(model, inputShape, options);
        IDisposable[] owned = scope.DisposablesView.ToArray();
        scope.Detach(owned);
        return new Certifier(graph, owned, inputShape, options.ReuseBuffers ? new BufferPool() : null);
    }

    private BoundRun NewRun(Tensor centre, PerturbationNorm norm, double epsilon) => new(new InputRegion(centre, norm, epsilon), _buffers);

    /// <summary>Rows per pass of the local FIM bound's mask expansion (tests lower it to force many passes).</summary>
    internal int ExpansionRowsPerPass { get; set; } = MaskExpansion.RowBudget;

    /// <summary>
    /// Passes the mask expansion may stream over. IBP's and CROWN-IBP's intermediate bounds leave most neurons unstable, so
    /// their expansion is large and loose: one pass (beyond it, the interval bound), which keeps rank/demo's CROWN-IBP
    /// certification at its former cost. The linear intermediate bounds stream up to <see cref="MaskExpansion.EntryBudget"/>.
    /// </summary>
    private static int ExpansionPasses(CertificationMethod method) =>
        method is CertificationMethod.Ibp or CertificationMethod.CrownIbp ? 1 : int.MaxValue;

    /// <summary>Bounds over the ball of radius <paramref name="epsilon"/> around <paramref name="input"/> [C, H, W] (or [1, C, H, W]).</summary>
    public BallBounds Bound(Tensor input, PerturbationNorm norm, double epsilon, CertificationMethod method)
    {
        using DisposeScope scope = NewDisposeScope();
        using var noGrad = no_grad();
        Tensor centre = Centre(input);
        Tensor logits;
        using (var atCentre = new BoundRun(new InputRegion(centre, norm, 0)))
        {
            logits = _graph.Ibp(new Interval(centre, centre), atCentre).Lower[0];
        }
        Tensor probabilities = logits.softmax(0);
        int predicted = (int)logits.argmax().item<long>();

        using var run = NewRun(centre, norm, epsilon);
        (Tensor differences, Interval logitBounds) = Differences(run, method, allPairs: true);
        Interval jacobian = JacobianOverBall(run, logits.shape[0]);
        LocalFisherBound fisher = LocalFisherBound.Compute(jacobian, differences, probabilities,
            weightings => MaskExpansion.Compute(_graph, run, weightings, ExpansionRowsPerPass, ExpansionPasses(method)));
        return new BallBounds
        {
            Predicted = predicted,
            DifferenceLowerBounds = ToMatrix(differences),
            LogitLower = logitBounds.Lower[0].data<double>().ToArray(),
            LogitUpper = logitBounds.Upper[0].data<double>().ToArray(),
            Fisher = fisher,
        };
    }

    /// <summary>
    /// Lower bounds [K] of the margins z_c − z_j of the centre's prediction c over the ball by <paramref name="method"/>
    /// alone (+∞ at c itself): what one certification at one ε costs, without the shortcuts of <see cref="IsCertified"/>.
    /// </summary>
    public double[] MarginLowerBounds(Tensor input, PerturbationNorm norm, double epsilon, CertificationMethod method)
    {
        using DisposeScope scope = NewDisposeScope();
        using var noGrad = no_grad();
        using var run = NewRun(Centre(input), norm, epsilon);
        return Differences(run, method, allPairs: false).Lower.data<double>().ToArray();
    }

    /// <summary>Whether every margin of the centre's prediction is positive over the ball (cheaper than <see cref="Bound"/>).</summary>
    public bool IsCertified(Tensor input, PerturbationNorm norm, double epsilon, CertificationMethod method)
    {
        using DisposeScope scope = NewDisposeScope();
        using var noGrad = no_grad();
        Tensor centre = Centre(input);
        using var run = NewRun(centre, norm, epsilon);
        // CROWN's bound is at least IBP's, so an input IBP certifies needs no linear bounds at all.
        if (method != CertificationMethod.Ibp && AllPositive(Differences(run, CertificationMethod.Ibp, allPairs: false).Lower))
        {
            return true;
        }
        return AllPositive(Differences(run, method, allPairs: false).Lower);
    }

    private static bool AllPositive(Tensor margins) => margins.gt(zeros_like(margins)).all().item<bool>();

    /// <summary>
    /// The certified radius: the largest ε the bisection certified, between 0 and <see cref="RadiusSearch.Maximum"/>
    /// to within <see cref="RadiusSearch.Tolerance"/>. Certification at the returned ε was checked, so the
    /// radius is sound whether or not certification is monotone in ε; 0 when nothing was certified. A caller
    /// that already checked some radii passes the bracket they give: <paramref name="certifiedAt"/> certified
    /// (0: none) and <paramref name="failedAt"/> not certified (null: the search tries its maximum first).
    /// </summary>
    public double CertifiedRadius(Tensor input, PerturbationNorm norm, CertificationMethod method, RadiusSearch search,
        double certifiedAt = 0, double? failedAt = null)
    {
        if (failedAt is null && IsCertified(input, norm, search.Maximum, method))
        {
            return search.Maximum;
        }
        double certified = certifiedAt;
        double failed = failedAt ?? search.Maximum;
        while (failed - certified > search.Tolerance)
        {
            double middle = (certified + failed) / 2;
            if (IsCertified(input, norm, middle, method))
            {
                certified = middle;
            }
            else
            {
                failed = middle;
            }
        }
        return certified;
    }

    public void Dispose()
    {
        foreach (IDisposable tensor in _owned)
        {
            tensor.Dispose();
        }
        _buffers?.Dispose();
    }

    private Tensor Centre(Tensor input) => input.detach().to(float64).reshape(new long[] { 1 }.Concat(_inputShape).ToArray());

    /// <summary>
    /// Lower bounds of logit differences over the run's region: all pairs [K, K] ([i, j] bounds z_i − z_j),
    /// or only the centre's predicted class against the others [K] (+∞ at the class itself, which is not a margin).
    /// </summary>
    private (Tensor Lower, Interval Logits) Differences(BoundRun run, CertificationMethod method, bool allPairs)
    {
        Interval logits = _graph.Ibp(run.Region.Box, run);
        long classes = logits.Lower.shape[1];
        int? predicted = allPairs ? null : PredictedAtCentre(run);
        Tensor spec = Specification(classes, predicted);
        Tensor ibp = IbpOf(spec, logits);
        if (method == CertificationMethod.Ibp)
        {
            return (Shaped(ibp, classes, predicted), logits);
        }
        if (method == CertificationMethod.CrownIbp)
        {
            return (Shaped(maximum(CrownOf(spec, run), ibp), classes, predicted), logits);
        }
        logits = logits.Intersect(LinearIntermediates(run, method));
        Tensor ibpOverIntermediate = IbpOf(spec, logits);
        Tensor backward = method == CertificationMethod.AlphaCrown
            ? AlphaCrown.LowerBounds(r => CrownOf(spec, r), run,
                best => predicted is not null && AllPositive(Shaped(maximum(best, ibpOverIntermediate), classes, predicted)))
            : CrownOf(spec, run);
        return (Shaped(maximum(backward, ibpOverIntermediate), classes, predicted), logits);
    }

    /// <summary>
    /// Records every nonlinear layer's input bounds for a linear method and returns the logits' bounds. The forward linear
    /// bounds come first for both; full CROWN then tightens each activation's input by backward passes on top of them:
    /// every recording intersects with the earlier ones (all sound), so only neurons the forward bounds leave loose cost a
    /// backward pass, and after a max-pool — where the forward bounds can beat the backward ones — neither loses to the other.
    /// </summary>
    private Interval LinearIntermediates(BoundRun run, CertificationMethod method)
    {
        Interval forward = _graph.Forward(LinearBounds.Identity(run.Region), run).Concretize(run.Region);
        return method == CertificationMethod.CrownFull ? forward.Intersect(_graph.Tighten(run.Region.Box, bound => bound, run)) : forward;
    }

    /// <summary>
    /// Records every nonlinear layer's input bounds as <paramref name="method"/>'s intermediate bounds leave them: IBP's
    /// for IBP and CROWN-IBP, then the linear ones (intersected) for CROWN, α-CROWN and full CROWN.
    /// </summary>
    private void RecordIntermediates(BoundRun run, CertificationMethod method)
    {
        _graph.Ibp(run.Region.Box, run);
        if (method is not (CertificationMethod.Ibp or CertificationMethod.CrownIbp))
        {
            LinearIntermediates(run, method);
        }
    }

    /// <summary>All-pairs lower bounds [K, K] of CROWN's backward pass alone and of IBP alone (for tests, which attack each).</summary>
    internal (Tensor Crown, Tensor Ibp) RawDifferenceBounds(Tensor input, PerturbationNorm norm, double epsilon)
    {
        using var noGrad = no_grad();
        using var run = NewRun(Centre(input), norm, epsilon);
        Interval logits = _graph.Ibp(run.Region.Box, run);
        long classes = logits.Lower.shape[1];
        Tensor spec = Specification(classes, predicted: null);
        Tensor ibp = IbpOf(spec, logits).reshape(classes, classes);
        _graph.Forward(LinearBounds.Identity(run.Region), run);
        return (CrownOf(spec, run).reshape(classes, classes), ibp);
    }

    /// <summary>
    /// All-pairs lower bounds [K, K] of CROWN's backward pass (over the forward linear intermediate bounds) with every free
    /// lower slope set by <paramref name="slopes"/>(CROWN's slope, floor) — for tests, which check that any slopes are sound.
    /// </summary>
    internal Tensor BackwardBoundsWithSlopes(Tensor input, PerturbationNorm norm, double epsilon, Func<Tensor, double, Tensor> slopes)
    {
        using var noGrad = no_grad();
        using var run = NewRun(Centre(input), norm, epsilon);
        long classes = _graph.Ibp(run.Region.Box, run).Lower.shape[1];
        _graph.Forward(LinearBounds.Identity(run.Region), run);
        Tensor spec = Specification(classes, predicted: null);
        using var variables = new SlopeVariables();
        run.Slopes = variables;
        CrownOf(spec, run);
        variables.Assign(slopes);
        Tensor bounds = CrownOf(spec, run).reshape(classes, classes);
        run.Slopes = null;
        return bounds;
    }

    /// <summary>
    /// Every activation's input bounds over the ball, in the network's order: IBP's, and full CROWN's (for tests,
    /// which check that the second lie inside the first and contain the values the model meets in the ball).
    /// </summary>
    internal IReadOnlyList<(Interval Ibp, Interval Crown)> ActivationInputBounds(Tensor input, PerturbationNorm norm, double epsilon) =>
        ActivationInputBounds(input, norm, epsilon, CertificationMethod.Ibp).Zip(ActivationInputBounds(input, norm, epsilon, CertificationMethod.CrownFull)).ToList();

    /// <summary>
    /// Every activation's input bounds over the ball as <paramref name="method"/>'s intermediate bounds leave them (IBP and
    /// CROWN-IBP: IBP's; CROWN and α-CROWN: the forward linear ones; full CROWN: those tightened), in the network's order.
    /// </summary>
    internal IReadOnlyList<Interval> ActivationInputBounds(Tensor input, PerturbationNorm norm, double epsilon, CertificationMethod method)
    {
        using var noGrad = no_grad();
        using var run = NewRun(Centre(input), norm, epsilon);
        RecordIntermediates(run, method);
        // Copies in the caller's scope: the run frees what it recorded.
        return run.Recorded.Where(r => r.Node is ActivationNode).Select(r => new Interval(r.Bounds.Lower.clone(), r.Bounds.Upper.clone())).ToList();
    }

    /// <summary>
    /// Per activation layer in the network's order, how many neurons the intermediate bounds of <paramref name="method"/>
    /// leave loosely relaxed over the ball (for ReLU: the input interval straddles 0) — what keeps a radius small.
    /// IBP and CROWN-IBP share IBP's intermediate bounds; CROWN and α-CROWN the forward linear ones; full CROWN those
    /// tightened by its backward passes.
    /// </summary>
    public IReadOnlyList<RelaxedNeurons> RelaxedNeurons(Tensor input, PerturbationNorm norm, double epsilon, CertificationMethod method)
    {
        using DisposeScope scope = NewDisposeScope();
        using var noGrad = no_grad();
        using var run = NewRun(Centre(input), norm, epsilon);
        RecordIntermediates(run, method);
        return run.Recorded.Select(r => r.Node).OfType<ActivationNode>().Select(node => node.Relaxed(run)).ToList();
    }

    /// <summary>CROWN's lower bounds of spec·z [1, S] without IBP's help (for tests, which check it alone).</summary>
    internal Tensor CrownOf(Tensor spec, BoundRun run)
    {
        BackwardBound atInput = _graph.Backward(new BackwardBound(spec, zeros(spec.shape[0], spec.shape[1], dtype: float64)), run);
        return run.Region.MinimumOf(atInput.Coefficients.flatten(2), atInput.Constant);
    }

    /// <summary>IBP's lower bound of spec·z: positive coefficients take the logit's lower bound, negative ones its upper.</summary>
    internal static Tensor IbpOf(Tensor spec, Interval logits) =>
        spec.PositivePart().matmul(logits.Lower.unsqueeze(2)).Plus(spec.NegativePart().matmul(logits.Upper.unsqueeze(2))).squeeze(2);

    /// <summary>Rows e_i − e_j for every pair (i, j) [1, K², K], or e_c − e_j for every j [1, K, K].</summary>
    internal static Tensor Specification(long classes, int? predicted)
    {
        Tensor eye = torch.eye(classes, dtype: float64);
        Tensor rows = predicted is { } c
            ? eye[c].unsqueeze(0).Minus(eye)
            : eye.unsqueeze(1).Minus(eye.unsqueeze(0)).reshape(classes * classes, classes);
        return rows.unsqueeze(0);
    }

    /// <summary>
    /// Entrywise bounds [K, d] of the logit Jacobian over the run's region, from the input bounds the run
    /// recorded at every nonlinear layer (call after <see cref="Differences"/>).
    /// </summary>
    internal Interval JacobianOverBall(BoundRun run, long classes)
    {
        Tensor identity = torch.eye(classes, dtype: float64).unsqueeze(0);
        Interval rows = _graph.JacobianRows(new Interval(identity, identity), run);
        return new Interval(rows.Lower.reshape(classes, -1), rows.Upper.reshape(classes, -1));
    }

    private int PredictedAtCentre(BoundRun run)
    {
        Tensor centre = run.Region.Centre;
        // Interval bounds at one point only: no linear bounds, so no buffers (and the caller's run keeps its own).
        using var atCentre = new BoundRun(new InputRegion(centre, run.Region.Norm, 0));
        Tensor logits = _graph.Ibp(new Interval(centre, centre), atCentre).Lower;
        return (int)logits.argmax(1).item<long>();
    }

    /// <summary>[K, K] for all pairs; [K] margins of the predicted class, +∞ at the class itself (not a margin).</summary>
    private static Tensor Shaped(Tensor lower, long classes, int? predicted)
    {
        if (predicted is not { } c)
        {
            return lower.reshape(classes, classes);
        }
        Tensor margins = lower.reshape(classes);
        Tensor self = nn.functional.one_hot(tensor((long)c), classes).to(ScalarType.Bool);
        return margins.Where(self.logical_not(), double.PositiveInfinity);
    }

    private static double[,] ToMatrix(Tensor m)
    {
        long n = m.shape[0];
        double[] flat = m.contiguous().data<double>().ToArray();
        var matrix = new double[n, n];
        for (int i = 0; i < n; i++)
        {
            for (int j = 0; j < n; j++)
            {
                matrix[i, j] = flat[i * n + j];
            }
        }
        return matrix;
    }
}
