using TorchSharp;
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
/// The pass is streamed: rows injected at different sets never mix (every norm above takes one set's rows), so a census
/// pass carries only the S rows (giving ‖S J^c‖ and ‖S L_i^c P_{U_i}ᵀ‖), and further passes each inject a slice of the
/// unstable entries within a row budget. A set split over slices has its row blocks stacked: ‖[A; B]‖ ≤ √(‖A‖² + ‖B‖²).
/// </summary>
internal sealed class MaskExpansion
{
    /// <summary>Largest side of a block whose spectral norm is taken exactly; larger ones use the Frobenius norm.</summary>
    public const int ExactNormSide = 2048;

    /// <summary>Most rows one pass carries (the S rows included): each pass holds one row per injected entry at every layer.</summary>
    public const int RowBudget = 6000;

    /// <summary>Most unstable entries expanded per input over all passes (time grows with them); beyond it only the interval Jacobian bounds.</summary>
    public const int EntryBudget = 60_000;

    /// <summary>Most float64 entries one tensor of rows may hold (4·10⁷: 320 MB), whatever the row count.</summary>
    public const long ElementBudget = 40_000_000;

    /// <summary>One varying set, in the order the pass meets it (output first), and the norms recorded for it.</summary>
    private sealed class Variation(double spread, int entries, long features, double[] startNorms)
    {
        public double Spread { get; } = spread;
        public int Entries { get; } = entries;
        public long Features { get; } = features;
        /// <summary>‖S_g L_i^c P_{U_i}ᵀ‖ per weighting g.</summary>
        public double[] StartNorms { get; } = startNorms;
        /// <summary>Per slice injected above, the norm of its rows at this set's varying outputs.</summary>
        public Dictionary<Slice, double> Couplings { get; } = new();
    }

    /// <summary>Entries [Offset, Offset + Count) of a set's unstable entries, injected as rows with ids FirstId….</summary>
    private sealed record Slice(int Variation, long Offset, int Count, int FirstId);

    private readonly List<Variation> _variations = new();
    private readonly int _groups;
    private readonly int _classes;
    private bool _census = true;
    private IReadOnlyList<Slice> _injecting = [];
    private int _met;

    private MaskExpansion(BoundRun bounds, int groups, int classes)
    {
        Bounds = bounds;
        _groups = groups;
        _classes = classes;
    }

    /// <summary>The run whose recorded input bounds decide which entries are stable.</summary>
    public BoundRun Bounds { get; }

    /// <summary>
    /// ‖S_g J^c‖ and the bound on sup ‖S_g (J(D) − J^c)‖ for each weighting S_g [K, K] of <paramref name="weightings"/>,
    /// over the region of <paramref name="bounds"/> (which must hold every nonlinear node's input bounds), in passes of at
    /// most <paramref name="rowsPerPass"/> rows; null when the unstable sets hold more than <see cref="EntryBudget"/>
    /// entries, need more than <paramref name="maxPasses"/> passes, or one pass's rows cannot fit <see cref="ElementBudget"/>
    /// (then only the interval Jacobian bounds).
    /// </summary>
    public static MaskDeviation? Compute(BoundNode graph, BoundRun bounds, IReadOnlyList<Tensor> weightings, int rowsPerPass, int maxPasses)
    {
        int classes = (int)weightings[0].shape[0];
        var expansion = new MaskExpansion(bounds, weightings.Count, classes);
        Tensor start = cat(weightings.ToArray(), 0);
        int startRows = (int)start.shape[0];
        Cotangents Pass()
        {
            expansion._met = 0;
            return graph.PullBackAtCentre(new Cotangents(start, Enumerable.Range(0, startRows).ToArray()), expansion);
        }
        double[] centre;
        long inputs;
        using (NewDisposeScope())
        {
            Tensor atInput = Pass().Rows.flatten(1);
            inputs = atInput.shape[1];
            centre = Enumerable.Range(0, weightings.Count).Select(g => Norm(atInput.narrow(0, g * classes, classes))).ToArray();
        }
        expansion._census = false;
        IReadOnlyList<IReadOnlyList<Slice>>? passes = expansion.Plan(startRows, rowsPerPass, inputs);
        if (passes is null || passes.Count > maxPasses)
        {
            return null;
        }
        var atInputNorms = new Dictionary<Slice, double>();
        foreach (IReadOnlyList<Slice> pass in passes)
        {
            using DisposeScope scope = NewDisposeScope();
            expansion._injecting = pass;
            Cotangents atInput = Pass();
            foreach (Slice slice in pass)
            {
                atInputNorms[slice] = Norm(RowsOf(atInput.Rows.flatten(1), atInput.Ids, slice));
            }
        }
        return expansion.Finish(centre, atInputNorms, passes.SelectMany(p => p).ToList());
    }

    /// <summary>
    /// Slices of every set's entries, grouped into passes: a pass's rows stay within the row budget and, at the largest layer at
    /// or below its first set, within the element budget (a set met later lies lower, where layers are no larger than that).
    /// </summary>
    private IReadOnlyList<IReadOnlyList<Slice>>? Plan(int startRows, int rowsPerPass, long inputs)
    {
        if (_variations.Sum(v => (long)v.Entries) > EntryBudget)
        {
            return null;
        }
        var largestBelow = new long[_variations.Count];
        long largest = inputs;
        for (int i = _variations.Count - 1; i >= 0; i--)
        {
            largest = Math.Max(largest, _variations[i].Features);
            largestBelow[i] = largest;
        }
        var passes = new List<IReadOnlyList<Slice>>();
        var current = new List<Slice>();
        long room = 0;
        int nextId = startRows;
        for (int i = 0; i < _variations.Count; i++)
        {
            for (long offset = 0; offset < _variations[i].Entries;)
            {
                if (room == 0)
                {
                    if (current.Count > 0)
                    {
                        passes.Add(current);
                        current = new List<Slice>();
                    }
                    room = Math.Min(rowsPerPass, ElementBudget / largestBelow[i]) - startRows;
                    if (room <= 0)
                    {
                        return null;
                    }
                }
                int count = (int)Math.Min(room, _variations[i].Entries - offset);
                current.Add(new Slice(i, offset, count, nextId));
                nextId += count;
                offset += count;
                room -= count;
            }
        }
        if (current.Count > 0)
        {
            passes.Add(current);
        }
        return passes;
    }

    /// <summary>
    /// One layer whose derivative varies over the ball: records the norms of the rows arriving at its varying outputs,
    /// continues with <paramref name="pulledBack"/> (the rows through the centre derivative, [R, in…]) and appends one row
    /// per varying input this pass injects, <paramref name="inputWeights"/> at that input (W_i), with e_i = <paramref name="spread"/>.
    /// </summary>
    public Cotangents Vary(Cotangents rows, Tensor varyingOutputs, Tensor pulledBack, Tensor varyingInputs, Tensor inputWeights, double spread)
    {
        int entries = (int)varyingInputs.shape[0];
        if (varyingOutputs.shape[0] == 0 || entries == 0)
        {
            return rows with { Rows = pulledBack };
        }
        int index = _met++;
        Tensor block = rows.Rows.flatten(1).index_select(1, varyingOutputs);
        long inputs = pulledBack.flatten(1).shape[1];
        if (_census)
        {
            double[] startNorms = Enumerable.Range(0, _groups).Select(g => Norm(block.narrow(0, g * _classes, _classes))).ToArray();
            _variations.Add(new Variation(spread, entries, inputs, startNorms));
            return rows with { Rows = pulledBack };
        }
        Variation here = _variations[index];
        foreach (Slice above in _injecting.Where(s => s.Variation < index))
        {
            here.Couplings[above] = Norm(RowsOf(block, rows.Ids, above));
        }
        List<Slice> mine = _injecting.Where(s => s.Variation == index).ToList();
        if (mine.Count == 0)
        {
            return rows with { Rows = pulledBack };
        }
        int injected = mine.Sum(s => s.Count);
        if ((rows.Count + injected) * inputs > ElementBudget)
        {
            throw new InvalidOperationException("the mask expansion's plan let a pass outgrow its element budget");
        }
        Tensor positions = tensor(mine.SelectMany(s => Enumerable.Range(0, s.Count).Select(k => s.Offset + k)).ToArray());
        Tensor unitRows = zeros(injected, inputs, dtype: pulledBack.dtype)
            .scatter_(1, varyingInputs.index_select(0, positions).unsqueeze(1), inputWeights.index_select(0, positions).unsqueeze(1))
            .reshape(new long[] { injected }.Concat(pulledBack.shape.Skip(1)).ToArray());
        int[] ids = mine.SelectMany(s => Enumerable.Range(s.FirstId, s.Count)).ToArray();
        return new Cotangents(cat(new[] { pulledBack, unitRows }, 0), rows.Ids.Concat(ids).ToArray());
    }

    /// <summary>The recursion for a_i (above before below: the order the passes met them) and the sums.</summary>
    private MaskDeviation Finish(double[] centre, Dictionary<Slice, double> atInputNorms, IReadOnlyList<Slice> slices)
    {
        var reach = new double[_variations.Count, _groups];
        for (int i = 0; i < _variations.Count; i++)
        {
            Variation below = _variations[i];
            for (int g = 0; g < _groups; g++)
            {
                reach[i, g] = below.StartNorms[g];
            }
            for (int j = 0; j < i; j++)
            {
                double coupling = Stacked(slices.Where(s => s.Variation == j).Select(s => below.Couplings.GetValueOrDefault(s)));
                for (int g = 0; g < _groups; g++)
                {
                    reach[i, g] += _variations[j].Spread * reach[j, g] * coupling;
                }
            }
        }
        var deviation = new double[_groups];
        for (int i = 0; i < _variations.Count; i++)
        {
            double start = Stacked(slices.Where(s => s.Variation == i).Select(s => atInputNorms[s]));
            for (int g = 0; g < _groups; g++)
            {
                deviation[g] += _variations[i].Spread * reach[i, g] * start;
            }
        }
        return new MaskDeviation(centre, deviation, _variations.Sum(v => v.Entries));
    }

    /// <summary>
    /// A bound on the norm of row blocks stacked, from the blocks' norms: ‖[A; B]‖² = sup ‖Av‖² + ‖Bv‖² ≤ ‖A‖² + ‖B‖²
    /// (exact for one block), padded for rounding.
    /// </summary>
    internal static double Stacked(IEnumerable<double> blockNorms)
    {
        double[] norms = blockNorms.ToArray();
        return norms.Length == 1 ? norms[0] : Math.Sqrt(norms.Sum(n => n * n)) * (1 + 1e-12);
    }

    /// <summary>The rows <paramref name="source"/> injected, as held in a tensor whose rows carry <paramref name="ids"/> (none: it never got there).</summary>
    private static Tensor? RowsOf(Tensor rows, int[] ids, Slice source)
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
}

/// <summary>
/// Per weighting S_g: <see cref="CentreNorms"/> ‖S_g J^c‖ and <see cref="DeviationBounds"/> ≥ sup over the
/// ball of ‖S_g (J(x') − J^c)‖; <see cref="VaryingRows"/> unstable entries were expanded.
/// </summary>
internal sealed record MaskDeviation(double[] CentreNorms, double[] DeviationBounds, int VaryingRows);
