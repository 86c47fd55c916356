using FimBounds.Core.Statistics;
using FimBounds.Data;
using FimBounds.Torch;
using static TorchSharp.torch;

namespace FimBounds.Training.Tests.Study;

public sealed record KlCheckOptions
{
    /// <summary>δ is drawn uniformly from [−ε, ε]ᵈ (the paper's 8/255).</summary>
    public double Epsilon { get; init; } = 8.0 / 255.0;

    /// <summary>Clip x + δ to the pixel box [0,1] (δ shrinks accordingly; ‖δ‖∞ ≤ ε still holds).</summary>
    public bool ClampToPixelRange { get; init; } = true;

    public long Seed { get; init; }

    public int BatchSize { get; init; } = 100;
}

/// <summary>One input of the KL check: KL(p(x)‖p(x+δ)), its second-order prediction ½δᵀF(x)δ and their relative error.</summary>
public sealed record KlCheckSample(int Index, double Kl, double HalfQuadratic, double RelativeError);

public sealed record KlCheckReport(KlCheckOptions Options, IReadOnlyList<KlCheckSample> Samples)
{
    /// <summary>Inputs where ½δᵀFδ = 0 (e.g. a saturated softmax) have no relative error and are left out of the statistics.</summary>
    private IEnumerable<double> Defined => Samples.Select(s => s.RelativeError).Where(e => !double.IsNaN(e));

    public double MeanRelativeError => Defined.DefaultIfEmpty(double.NaN).Average();

    public double MedianRelativeError
    {
        get
        {
            double[] sorted = Defined.Order().ToArray();
            return sorted.Length == 0 ? double.NaN : Quantile.OfSorted(sorted, 0.5);
        }
    }

    public double MaxRelativeError => Defined.DefaultIfEmpty(double.NaN).Max();

    public override string ToString() =>
        $"KL vs ½δᵀFδ at ε = {Options.Epsilon:G4}: relative error median {MedianRelativeError:G3}, mean {MeanRelativeError:G3}, max {MaxRelativeError:G3} over {Samples.Count} inputs";
}

/// <summary>
/// The paper's Theorem 1 as a measurement: for small δ, KL(p(·|x) ‖ p(·|x+δ)) ≈ ½ δᵀF(x)δ. Draws one
/// δ ~ U[−ε, ε]ᵈ per input and reports |KL − ½δᵀFδ| / (½δᵀFδ). The quadratic form defaults to
/// <see cref="FisherQuadraticForm"/>; pass the engine's to check it against the same KL.
/// </summary>
public static class KlCheck
{
    public static KlCheckReport Run(
        nn.Module<Tensor, Tensor> model, ImageDataset dataset, int samples, KlCheckOptions? options = null,
        Func<nn.Module<Tensor, Tensor>, Tensor, Tensor, Tensor>? quadraticForm = null, ScalarType dtype = ScalarType.Float32,
        CancellationToken cancellationToken = default)
    {
        options ??= new KlCheckOptions();
        quadraticForm ??= FisherQuadraticForm.Compute;
        int count = Math.Min(samples, dataset.Count);
        bool wasTraining = model.training;
        model.eval();
        using var generator = new Generator(unchecked((ulong)options.Seed), CPU);
        var results = new List<KlCheckSample>(count);
        try
        {
            for (int start = 0; start < count; start += options.BatchSize)
            {
                cancellationToken.ThrowIfCancellationRequested();
                using var scope = NewDisposeScope();
                (Tensor x, _) = dataset.Batch(start, Math.Min(options.BatchSize, count - start), dtype);
                Tensor delta = rand(x.shape, dtype: x.dtype, generator: generator).Times(2).Minus(1).Times(options.Epsilon);
                if (options.ClampToPixelRange)
                {
                    delta = x.Plus(delta).ClampTo(0.0, 1.0) - x;
                }
                double[] kl = KlDivergence(model, x, x.Plus(delta)).to_type(ScalarType.Float64).data<double>().ToArray();
                double[] half = quadraticForm(model, x, delta).to_type(ScalarType.Float64).Times(0.5).data<double>().ToArray();
                for (int i = 0; i < kl.Length; i++)
                {
                    double error = half[i] > 0 ? Math.Abs(kl[i] - half[i]) / half[i] : double.NaN;
                    results.Add(new KlCheckSample(start + i, kl[i], half[i], error));
                }
            }
        }
        finally
        {
            model.train(wasTraining);
        }
        return new KlCheckReport(options, results);
    }

    /// <summary>KL(p(·|x) ‖ p(·|x′)) per input, from log-softmax (stable when probabilities underflow).</summary>
    public static Tensor KlDivergence(nn.Module<Tensor, Tensor> model, Tensor x, Tensor xPrime)
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        // float64 from the logits on: the KL of a small δ is a small difference of log-probabilities.
        Tensor logP = nn.functional.log_softmax(model.call(x).to_type(ScalarType.Float64), 1);
        Tensor logQ = nn.functional.log_softmax(model.call(xPrime).to_type(ScalarType.Float64), 1);
        return logP.exp().mul(logP.Minus(logQ)).sum(1).MoveToOuterDisposeScope();
    }
}
