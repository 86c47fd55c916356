using FimBounds.Core.Algebra;
using FimBounds.Core.Architecture;
using FimBounds.Core.Bounds;
using FimBounds.Core.Errors;
using static TorchSharp.torch;

namespace FimBounds.Engine.Bounds;

/// <summary>
/// ρ_C of every map fed by a dense concatenation (<see cref="ConcatenationPlan"/>, where the rule and its proof
/// are), computed from the weights in network order: the branch bounds a_j of a step's input come from the
/// factors of the steps before it, which carry their own ρ_C. Every t tried is sound, so the choice of t is
/// free; the ones tried are t = 1, the triangle inequality Σ_j σ(W^(j))a_j, and t_j = (σ(W^(j))/a_j)^(α/2)
/// for a few α between them and beyond.
/// </summary>
public sealed class ConcatenationRatios
{
    /// <summary>Exponents α of t_j = (σ_j/a_j)^(α/2): 0 is t = 1, 1 balances the blocks like the triangle inequality.</summary>
    private static readonly double[] Exponents = { 0.25, 0.5, 0.75, 1.0, 1.25, 1.5 };

    /// <summary>|log t_j| is capped here: a branch whose block or bound vanishes gets a large finite weight (any t > 0 is sound).</summary>
    private const double MaxLogWeight = 40;

    private readonly ConcatenationPlan _plan;
    private readonly WeightQuantities _weights;
    private readonly Dictionary<string, Expr> _stepFactors = new(StringComparer.Ordinal);
    private readonly Dictionary<string, double> _ratios = new(StringComparer.Ordinal);

    public ConcatenationRatios(ConcatenationPlan plan, IEnumerable<LayerFactor> factors, WeightQuantities weights)
    {
        _plan = plan;
        _weights = weights;
        foreach (LayerFactor factor in factors)
        {
            _stepFactors.TryAdd(factor.LayerPath, factor.Factor);
        }
    }

    /// <summary>
    /// ρ_C of the map at <paramref name="mapPath"/>; <paramref name="upper"/> gives the certified value of any other
    /// symbol (the steps' factors are evaluated with it, ρ_C of earlier maps included).
    /// </summary>
    public double Ratio(string mapPath, Func<SymbolMeaning, double> upper)
    {
        if (_ratios.TryGetValue(mapPath, out double cached))
        {
            return cached;
        }
        ConcatenatedInput input = _plan.Of(mapPath)
            ?? throw new InputException($"layer '{mapPath}' does not read a dense concatenation; its bound has no ρ_C.");
        double[] a = BranchBounds(input, upper);
        // One group (the first step reads the block input alone): every t gives σ(W)·a_0, so ρ_C = 1.
        double ratio = input.Steps == 0 ? 1.0 : Compute(input, a, upper(new SymbolMeaning(Quantity.OperatorNorm, _weights.OperatorNormPath(input.Map))));
        _ratios[mapPath] = ratio;
        return ratio;
    }

    /// <summary>a_0 = 1 (the block input), a_k = L_{h_k}·√(Σ_{j&lt;k} a_j²): each group's Lipschitz bound relative to the block input.</summary>
    private double[] BranchBounds(ConcatenatedInput input, Func<SymbolMeaning, double> upper)
    {
        var a = new double[input.Steps + 1];
        a[0] = 1.0;
        double sumSquares = 1.0;
        for (int k = 1; k <= input.Steps; k++)
        {
            string step = input.FeedingSteps[k - 1].Path;
            Expr factor = _stepFactors.TryGetValue(step, out Expr? f)
                ? f
                : throw new InputException($"the bound has no factor for the dense step '{step}'.");
            var values = factor.Symbols().Distinct().ToDictionary(s => s.Name, s => upper(QuantityEvaluator.MeaningOf(s)));
            a[k] = factor.Evaluate(values) * Math.Sqrt(sumSquares);
            sumSquares += a[k] * a[k];
        }
        return a;
    }

    private double Compute(ConcatenatedInput input, double[] a, double sigma)
    {
        using var scope = NewDisposeScope();
        double scale = a.Max();
        if (!(scale > 0) || double.IsInfinity(scale) || !(sigma > 0) || double.IsInfinity(sigma))
        {
            return 1.0;
        }
        double[] relative = a.Select(x => x / scale).ToArray();
        double plain = sigma * Norm(relative);
        Tensor weight = _weights.FoldedWeight(input.Map);
        int columnsPerChannel = input.Map is Linear linear ? linear.InFeatures / input.GroupChannels.Sum() : 1;

        var blockNorms = new double[relative.Length];
        for (int j = 0; j < relative.Length; j++)
        {
            blockNorms[j] = _weights.UpperNorm(input.Map, Block(weight, input, columnsPerChannel, j));
        }
        double best = Math.Min(plain, blockNorms.Zip(relative, (s, x) => s * x).Sum());
        foreach (double alpha in Exponents)
        {
            double[] t = blockNorms.Zip(relative, (s, x) => Weight(alpha, s, x)).ToArray();
            double rescaled = _weights.UpperNorm(input.Map, Scaled(weight, input, columnsPerChannel, g => 1.0 / t[g]));
            best = Math.Min(best, rescaled * Norm(t.Zip(relative, (tj, x) => tj * x).ToArray()));
        }
        return Math.Min(1.0, RoundingMargin.Up(best) / plain);
    }

    /// <summary>
    /// The weight of group <paramref name="group"/>'s input columns: for a matrix (a Linear or a 1×1 convolution)
    /// its slice of columns — the same singular values as the whole weight with the other columns zeroed, at the
    /// cost of a Gram the size of the slice (densenet121's 1000 × 1024 classifier had 17 Grams of 1000 × 1000) —
    /// and for a wider kernel the whole weight with the other groups zeroed, since its norm needs the whole geometry.
    /// </summary>
    private static Tensor Block(Tensor weight, ConcatenatedInput input, int columnsPerChannel, int group)
    {
        if (input.Map is not (Linear or Conv2d { KernelSize: 1, Groups: 1 }))
        {
            return Scaled(weight, input, columnsPerChannel, g => g == group ? 1.0 : 0.0);
        }
        int start = input.GroupChannels.Take(group).Sum() * columnsPerChannel;
        return weight.narrow(1, start, input.GroupChannels[group] * columnsPerChannel);
    }

    /// <summary>The weight with the input columns of group g multiplied by <paramref name="factor"/>(g).</summary>
    private static Tensor Scaled(Tensor weight, ConcatenatedInput input, int columnsPerChannel, Func<int, double> factor)
    {
        var columns = new List<double>(input.GroupChannels.Sum() * columnsPerChannel);
        for (int g = 0; g < input.GroupChannels.Count; g++)
        {
            columns.AddRange(Enumerable.Repeat(factor(g), input.GroupChannels[g] * columnsPerChannel));
        }
        Tensor scale = tensor(columns.ToArray(), float64);
        return weight.dim() == 4 ? weight.mul(scale.view(1, -1, 1, 1)) : weight.mul(scale.view(1, -1));
    }

    /// <summary>t_j = (σ_j/a_j)^(α/2), finite and positive whatever σ_j and a_j are.</summary>
    private static double Weight(double alpha, double blockNorm, double bound)
    {
        double log = 0.5 * alpha * Math.Log(blockNorm / bound);
        return double.IsNaN(log) ? 1.0 : Math.Exp(Math.Clamp(log, -MaxLogWeight, MaxLogWeight));
    }

    private static double Norm(double[] v) => Math.Sqrt(v.Sum(x => x * x));
}
