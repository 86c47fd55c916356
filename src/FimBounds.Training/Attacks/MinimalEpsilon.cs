using FimBounds.Core.Errors;
using System.Diagnostics;
using FimBounds.Data;
using static TorchSharp.torch;

namespace FimBounds.Training.Attacks;

/// <summary>Settings of the per-input minimal-ε search (bisection over PGD-L∞).</summary>
public sealed record MinimalEpsilonOptions
{
    /// <summary>Largest budget tried; inputs PGD cannot break at this ε are reported as +∞ (censored).</summary>
    public double MaxEpsilon { get; init; } = 32.0 / 255.0;

    /// <summary>Bisection halvings after the first probe at <see cref="MaxEpsilon"/> (resolution MaxEpsilon/2^n).</summary>
    public int Iterations { get; init; } = 7;

    /// <summary>PGD steps per probe; the step size is ε/4 for every probe (the paper's 2/255 at 8/255).</summary>
    public int PgdSteps { get; init; } = 10;

    public bool RandomStart { get; init; } = true;

    public long Seed { get; init; }

    public int BatchSize { get; init; } = 100;
}

/// <summary>
/// One input's minimal adversarial ε: 0 when it is misclassified already, +∞ when PGD found no adversarial
/// example within <see cref="MinimalEpsilonOptions.MaxEpsilon"/>, otherwise the smallest probed ε at which PGD
/// succeeded — an upper bound on the true minimal L∞ distance to the decision boundary.
/// </summary>
public sealed record MinimalEpsilonOutcome(int Index, int Label, bool CleanCorrect, double Epsilon)
{
    public bool Found => CleanCorrect && double.IsFinite(Epsilon);
}

public sealed record MinimalEpsilonReport(MinimalEpsilonOptions Options, double Seconds, IReadOnlyList<MinimalEpsilonOutcome> Inputs)
{
    /// <summary>Median over the correctly classified inputs (+∞ counts as larger than any ε).</summary>
    public double MedianEpsilon
    {
        get
        {
            double[] values = Inputs.Where(i => i.CleanCorrect).Select(i => i.Epsilon).Order().ToArray();
            return values.Length == 0 ? double.NaN : values.Length % 2 == 1
                ? values[values.Length / 2]
                : (values[values.Length / 2 - 1] + values[values.Length / 2]) / 2;
        }
    }
}

/// <summary>
/// The per-input vulnerability measure: for every correctly classified input, bisection on ε ∈ (0, ε_max]
/// with one PGD-L∞ run per probe. All inputs of a batch are searched together, each with its own ε.
/// </summary>
public static class MinimalEpsilon
{
    public static MinimalEpsilonReport Search(
        nn.Module<Tensor, Tensor> model, ImageDataset dataset, MinimalEpsilonOptions? options = null, int? samples = null,
        IProgress<AttackProgress>? progress = null, CancellationToken cancellationToken = default, ScalarType dtype = ScalarType.Float32)
    {
        options ??= new MinimalEpsilonOptions();
        if (!(options.MaxEpsilon > 0) || options.Iterations < 0 || options.PgdSteps < 1)
        {
            throw new ArgumentException("the minimal-ε search needs a positive maximum ε, non-negative iterations and at least one PGD step");
        }
        int count = Math.Min(samples ?? dataset.Count, dataset.Count);
        var outcomes = new List<MinimalEpsilonOutcome>(count);
        using var work = CurrentWork.Begin("searching each input's minimal ε");
        var clock = Stopwatch.StartNew();
        // One ε-scaled PGD: the per-input budget is passed to every call, step = ε/4.
        using Attack pgd = Attack.Create(AttackSettings.Pgd(1.0, 0.25, options.PgdSteps, options.RandomStart) with { Seed = options.Seed });
        for (int start = 0; start < count; start += options.BatchSize)
        {
            cancellationToken.ThrowIfCancellationRequested();
            using var scope = NewDisposeScope();
            (Tensor x, Tensor y) = dataset.Batch(start, Math.Min(options.BatchSize, count - start), dtype);
            long[] labels = y.data<long>().ToArray();
            long[] clean = Evaluation.Predict(model, x);
            double[] epsilon = SearchBatch(model, pgd, x, y, labels, clean, options, cancellationToken);
            for (int i = 0; i < labels.Length; i++)
            {
                outcomes.Add(new MinimalEpsilonOutcome(start + i, (int)labels[i], clean[i] == labels[i], epsilon[i]));
            }
            progress?.Report(new AttackProgress(outcomes.Count, count, outcomes.Count(o => o.Found)));
        }
        return new MinimalEpsilonReport(options, clock.Elapsed.TotalSeconds, outcomes);
    }

    private static double[] SearchBatch(
        nn.Module<Tensor, Tensor> model, Attack pgd, Tensor x, Tensor y, long[] labels, long[] clean,
        MinimalEpsilonOptions options, CancellationToken cancellationToken)
    {
        int n = labels.Length;
        double[] result = new double[n];
        double[] low = new double[n];
        double[] high = new double[n];
        var active = new List<int>();
        for (int i = 0; i < n; i++)
        {
            if (clean[i] != labels[i])
            {
                result[i] = 0.0; // already on the wrong side of the boundary
            }
            else
            {
                high[i] = options.MaxEpsilon;
                active.Add(i);
            }
        }

        // Probe at ε_max: inputs that survive it are censored at +∞.
        bool[] broken = Probe(model, pgd, x, y, labels, active, active.Select(i => high[i]).ToArray());
        var searching = new List<int>();
        for (int a = 0; a < active.Count; a++)
        {
            if (broken[a])
            {
                searching.Add(active[a]);
            }
            else
            {
                result[active[a]] = double.PositiveInfinity;
            }
        }

        for (int iteration = 0; iteration < options.Iterations && searching.Count > 0; iteration++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            double[] middle = searching.Select(i => (low[i] + high[i]) / 2).ToArray();
            bool[] fooled = Probe(model, pgd, x, y, labels, searching, middle);
            for (int s = 0; s < searching.Count; s++)
            {
                if (fooled[s])
                {
                    high[searching[s]] = middle[s];
                }
                else
                {
                    low[searching[s]] = middle[s];
                }
            }
        }
        foreach (int i in searching)
        {
            result[i] = high[i];
        }
        return result;
    }

    /// <summary>Runs PGD on the selected inputs with their budgets; true where the prediction flipped.</summary>
    private static bool[] Probe(nn.Module<Tensor, Tensor> model, Attack pgd, Tensor x, Tensor y, long[] labels, List<int> selected, double[] epsilon)
    {
        if (selected.Count == 0)
        {
            return [];
        }
        using var scope = NewDisposeScope();
        Tensor index = tensor(selected.Select(i => (long)i).ToArray());
        Tensor inputs = x.index_select(0, index);
        Tensor targets = y.index_select(0, index);
        Tensor adversarial = pgd.Perturb(model, inputs, targets, tensor(epsilon, dtype: inputs.dtype));
        long[] predicted = Evaluation.Predict(model, adversarial);
        return selected.Select((i, s) => predicted[s] != labels[i]).ToArray();
    }
}
