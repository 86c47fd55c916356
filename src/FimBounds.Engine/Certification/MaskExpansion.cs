using FimBounds.Torch;
using static TorchSharp.torch;

namespace FimBounds.Engine.Certification;

/// <summary>
/// Bounds on the logit Jacobian over the ball that avoid interval Jacobians. With every nonlinearity's
/// derivative fixed, the network is linear and its Jacobian J(D) is multilinear in the layers' derivative
/// matrices D_i (ReLU masks, max-pool selections): each path from input to output passes each layer once,
/// residual and dense graphs included. Over the ball D_i ranges over a set with centre D_i^c (stable
/// entries exact, an unstable ReLU at ½, an unstable pool window spread over its candidates), and
/// E_i = D_i − D_i^c is non-zero only on the unstable set U_i. Replacing the D_i by their centres one at a
/// time in topological order telescopes: J(D) − J(D^c) = Σ_i L_i(D) E_i R_i^c, with R_i^c = ∂pre_i/∂x at the
/// centre masks and L_i(D) = ∂z/∂post_i with the true masks above i; the same identity on the network above
/// i gives L_i(D) = L_i^c + Σ_{j above i} L_j(D) E_j M^c_{j←i} (M^c: the centre-mask map from post_i to pre_j).
/// Hence, for any fixed row weighting S of the logits (S = the pairwise curvature root B^½ or the centring projection P₁),
/// ‖S J(D)‖ ≤ ‖S J^c‖ + Σ_i e_i a_i ‖W_i P_{U_i} R_i^c‖ with a_i ≥ sup ‖S L_i(D) P_{U_i}ᵀ‖ from
/// a_i = ‖S L_i^c P_{U_i}ᵀ‖ + Σ_{j above i} e_j a_j ‖W_j P_{U_j} M^c_{j←i} P_{U_i}ᵀ‖, where E_i = P_{U_i}ᵀ Ê_i W_i P_{U_i}
/// and e_i ≥ ‖Ê_i‖ (a ReLU: W_i = the derivative's half range, e_i = 1). Every matrix is exact at the
/// centre masks: one transposed pass carries the S rows from the output down and picks up unit rows
/// (times W_i) at each unstable set, recording the rows it holds at each set's output. Norms are exact
/// (float64 Gram eigenvalues, padded) up to <see cref="ExactNormSide"/> and Frobenius norms beyond.
/// </summary>
internal sealed class MaskExpansion
{
    /// <summary>Largest side of a block whose spectral norm is taken exactly; larger ones use the Frobenius norm.</summary>
    public const int ExactNormSide = 2048;

    /// <summary>
    /// Most unstable entries expanded per input: the pass holds one row per entry at every layer (memory and
    /// time grow with it); beyond it only the interval Jacobian bounds.
    /// </summary>
    public const int RowBudget = 6000;

    /// <summary>Most float64 entries one tensor of rows may hold (4·10⁷: 320 MB), whatever the row count.</summary>
    public const long ElementBudget = 40_000_000;

    private sealed record Variation(int FirstId, int Count, double Spread, Tensor Block, int[] BlockIds);

    private readonly List<Variation> _variations = new();
    private readonly int _rowBudget;
    private int _nextId;

    private MaskExpansion(BoundRun bounds, int rowBudget)
    {
        Bounds = bounds;
        _rowBudget = rowBudget;
    }

    /// <summary>The run whose recorded input bounds decide which entries are stable.</summary>
    public BoundRun Bounds { get; }

    /// <summary>
    /// ‖S_g J^c‖ and the bound on sup ‖S_g (J(D) − J^c)‖ for each weighting S_g [K, K] of <paramref name="weightings"/>,
    /// over the region of <paramref name="bounds"/> (which must hold every nonlinear node's input bounds); null when
    /// the unstable sets need more than <paramref name="rowBudget"/> rows (then only the interval Jacobian bounds).
    /// </summary>
    public static MaskDeviation? Compute(BoundNode graph, BoundRun bounds, IReadOnlyList<Tensor> weightings, int rowBudget)
    {
        var expansion = new MaskExpansion(bounds, rowBudget);
        long classes = weightings[0].shape[0];
        Tensor start = cat(weightings.ToArray(), 0);
        expansion._nextId = (int)start.shape[0];
        Cotangents atInput;
        try
        {
            atInput = graph.PullBackAtCentre(new Cotangents(start, Enumerable.Range(0, expansion._nextId).ToArray()), expansion);
        }
        catch (RowBudgetExceeded)
        {
            return null;
        }
        return expansion.Finish(atInput.Rows.flatten(1), atInput.Ids, weightings.Count, (int)classes);
    }

    /// <summary>
    /// One layer whose derivative varies over the ball: records the rows arriving at its varying outputs,
    /// continues with <paramref name="pulledBack"/> (the rows through the centre derivative, [R, in…]) and appends
    /// one row per varying input, <paramref name="inputWeights"/> at that input (W_i), with e_i = <paramref name="spread"/>.
    /// </summary>
    public Cotangents Vary(Cotangents rows, Tensor varyingOutputs, Tensor pulledBack, Tensor varyingInputs, Tensor inputWeights, double spread)
    {
        int injected = (int)varyingInputs.shape[0];
        if (varyingOutputs.shape[0] == 0 || injected == 0)
        {
            return rows with { Rows = pulledBack };
        }
        long inputs = pulledBack.flatten(1).shape[1];
        if (_nextId + injected > _rowBudget || (rows.Count + injected) * inputs > ElementBudget)
        {
            throw new RowBudgetExceeded();
        }
        Tensor block = rows.Rows.flatten(1).index_select(1, varyingOutputs);
        _variations.Add(new Variation(_nextId, injected, spread, block, rows.Ids));
        Tensor unitRows = zeros(injected, inputs, dtype: pulledBack.dtype)
            .scatter_(1, varyingInputs.unsqueeze(1), inputWeights.unsqueeze(1))
            .reshape(new long[] { injected }.Concat(pulledBack.shape.Skip(1)).ToArray());
        int[] ids = Enumerable.Range(_nextId, injected).ToArray();
        _nextId += injected;
        return new Cotangents(cat(new[] { pulledBack, unitRows }, 0), rows.Ids.Concat(ids).ToArray());
    }

    /// <summary>The recursion for a_i (above before below: the order the pass recorded them) and the sums.</summary>
    private MaskDeviation Finish(Tensor atInput, int[] inputIds, int groups, int classes)
    {
        var reach = new double[_variations.Count, groups];
        for (int i = 0; i < _variations.Count; i++)
        {
            Variation below = _variations[i];
            for (int g = 0; g < groups; g++)
            {
                reach[i, g] = Norm(below.Block.narrow(0, g * classes, classes));
            }
            for (int j = 0; j < i; j++)
            {
                double coupling = Norm(RowsOf(below.Block, below.BlockIds, _variations[j]));
                for (int g = 0; g < groups; g++)
                {
                    reach[i, g] += _variations[j].Spread * reach[j, g] * coupling;
                }
            }
        }
        var centre = new double[groups];
        var deviation = new double[groups];
        for (int g = 0; g < groups; g++)
        {
            centre[g] = Norm(atInput.narrow(0, g * classes, classes));
        }
        for (int i = 0; i < _variations.Count; i++)
        {
            double start = Norm(RowsOf(atInput, inputIds, _variations[i]));
            for (int g = 0; g < groups; g++)
            {
                deviation[g] += _variations[i].Spread * reach[i, g] * start;
            }
        }
        return new MaskDeviation(centre, deviation, _nextId - groups * classes);
    }

    /// <summary>The rows <paramref name="source"/> injected, as held in a tensor whose rows carry <paramref name="ids"/> (none: it never got there).</summary>
    private static Tensor? RowsOf(Tensor rows, int[] ids, Variation source)
    {
        int position = Array.IndexOf(ids, source.FirstId);
        return position < 0 ? null : rows.narrow(0, position, source.Count);
    }

    /// <summary>An upper bound on ‖M‖₂ (0 for a missing block): exact from the smaller Gram matrix, or the Frobenius norm.</summary>
    private static double Norm(Tensor? m)
    {
        if (m is null || m.numel() == 0)
        {
            return 0;
        }
        using var scope = NewDisposeScope();
        Tensor flat = m.flatten(1);
        if (Math.Min(flat.shape[0], flat.shape[1]) > ExactNormSide)
        {
            return flat.norm().item<double>() * (1 + 1e-12);
        }
        Tensor gram = flat.shape[0] <= flat.shape[1] ? flat.matmul(flat.t()) : flat.t().matmul(flat);
        gram = gram.Plus(gram.t()).Times(0.5);
        double largest = linalg.eigvalsh(gram).max().item<double>();
        // Rounding in the Gram product and the eigen-solve is below 1e-12 of its trace; the pad covers it.
        double pad = gram.diagonal().sum().item<double>() * 1e-12;
        return Math.Sqrt(Math.Max(0, largest) + pad) * (1 + 1e-12);
    }

    private sealed class RowBudgetExceeded : Exception;
}

/// <summary>
/// Per weighting S_g: <see cref="CentreNorms"/> ‖S_g J^c‖ and <see cref="DeviationBounds"/> ≥ sup over the
/// ball of ‖S_g (J(x') − J^c)‖; <see cref="VaryingRows"/> unstable entries were expanded.
/// </summary>
internal sealed record MaskDeviation(double[] CentreNorms, double[] DeviationBounds, int VaryingRows);
