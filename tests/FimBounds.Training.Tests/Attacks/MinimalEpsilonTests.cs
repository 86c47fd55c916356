using FimBounds.Data;
using FimBounds.Training.Attacks;
using FimBounds.Training.Tests.Fixtures;
using static TorchSharp.torch;

namespace FimBounds.Training.Tests.Attacks;

[Collection(TrainedTinyCnnCollection.Name)]
public sealed class MinimalEpsilonTests
{
    private readonly TrainedTinyCnn _trained;

    public MinimalEpsilonTests(TrainedTinyCnn trained) => _trained = trained;

    /// <summary>
    /// A two-class linear model z = Wx + b on 4×4 inputs. Its minimal L∞ adversarial distance is known in
    /// closed form, margin / ‖w_y − w_other‖₁, and PGD reaches the optimal corner exactly.
    /// </summary>
    [Fact]
    public void Bisection_recovers_the_closed_form_distance_of_a_linear_model()
    {
        manual_seed(12);
        var linear = nn.Linear(16, 2, dtype: ScalarType.Float64);
        using var model = nn.Sequential(("flatten", nn.Flatten()), ("linear", linear));
        model.eval();
        var random = new DeterministicRandom(3);
        int count = 60;
        byte[] pixels = Enumerable.Range(0, count * 16).Select(_ => (byte)(64 + random.NextInt(129))).ToArray();
        double[] w = linear.weight!.data<double>().ToArray();
        double[] b = linear.bias!.data<double>().ToArray();
        var labels = new byte[count];
        var expected = new double[count];
        for (int n = 0; n < count; n++)
        {
            double z0 = b[0], z1 = b[1], l1 = 0;
            for (int j = 0; j < 16; j++)
            {
                double v = pixels[n * 16 + j] / 255.0;
                z0 += w[j] * v;
                z1 += w[16 + j] * v;
                l1 += Math.Abs(w[j] - w[16 + j]);
            }
            labels[n] = (byte)(z0 >= z1 ? 0 : 1);
            expected[n] = Math.Abs(z0 - z1) / l1;
        }
        var data = new ImageDataset("linear", pixels, labels, 1, 4, 4, ["a", "b"]);
        var options = new MinimalEpsilonOptions { MaxEpsilon = 0.25, Iterations = 10, PgdSteps = 10, BatchSize = 25 };

        MinimalEpsilonReport report = MinimalEpsilon.Search(model, data, options, dtype: ScalarType.Float64);

        double resolution = options.MaxEpsilon / (1 << options.Iterations);
        int checkedCount = 0;
        for (int n = 0; n < count; n++)
        {
            MinimalEpsilonOutcome outcome = report.Inputs[n];
            Assert.True(outcome.CleanCorrect);
            if (expected[n] < options.MaxEpsilon - resolution)
            {
                Assert.InRange(outcome.Epsilon, expected[n], expected[n] + resolution + 1e-12);
                checkedCount++;
            }
            else if (expected[n] > options.MaxEpsilon)
            {
                Assert.Equal(double.PositiveInfinity, outcome.Epsilon);
            }
        }
        Assert.True(checkedCount >= 20, $"only {checkedCount} inputs had a distance inside the search range");
    }

    [Fact]
    public void Misclassified_inputs_get_zero_and_survivors_get_infinity()
    {
        var options = new MinimalEpsilonOptions { MaxEpsilon = 1.0 / 255, Iterations = 3, PgdSteps = 5 };

        MinimalEpsilonReport report = MinimalEpsilon.Search(_trained.Model, EmbeddedData.Test, options, samples: 50);

        Assert.All(report.Inputs.Where(i => !i.CleanCorrect), i => Assert.Equal(0.0, i.Epsilon));
        Assert.Contains(report.Inputs, i => i.CleanCorrect && double.IsPositiveInfinity(i.Epsilon));
        // A found ε is the upper end of the last bisection interval: k·ε_max/2^iterations with k ∈ 1…2^iterations.
        double step = options.MaxEpsilon / (1 << options.Iterations);
        Assert.All(report.Inputs.Where(i => i.Found), i =>
        {
            double k = i.Epsilon / step;
            Assert.Equal(Math.Round(k), k, 9);
            Assert.InRange(Math.Round(k), 1, 1 << options.Iterations);
        });
    }

    [Fact]
    public void Inputs_found_at_epsilon_are_broken_by_pgd_at_that_epsilon()
    {
        var options = new MinimalEpsilonOptions { Iterations = 5, PgdSteps = 10, Seed = 1 };
        MinimalEpsilonReport report = MinimalEpsilon.Search(_trained.Model, EmbeddedData.Test, options, samples: 40);
        var found = report.Inputs.Where(i => i.Found).ToArray();
        Assert.True(found.Length >= 15, $"only {found.Length} of 40 inputs were broken within 32/255");

        // Re-attack each at its ε from four fresh random starts: most stay broken; the search is not a fluke.
        // (ε sits on the boundary the bisection found, so a single restart misses about one in five by chance.)
        using var scope = NewDisposeScope();
        int[] indices = found.Select(i => i.Index).ToArray();
        Tensor x = EmbeddedData.Test.Images(indices);
        Tensor y = EmbeddedData.Test.Labels(indices);
        Tensor epsilons = tensor(found.Select(i => i.Epsilon).ToArray());
        long[] labels = y.data<long>().ToArray();
        var broken = new bool[found.Length];
        foreach (int seed in new[] { 99, 100, 101, 102 })
        {
            using Attack pgd = Attack.Create(AttackSettings.Pgd(1.0, 0.25, 10) with { Seed = seed });
            long[] predicted = Evaluation.Predict(_trained.Model, pgd.Perturb(_trained.Model, x, y, epsilons));
            for (int i = 0; i < found.Length; i++)
            {
                broken[i] |= predicted[i] != labels[i];
            }
        }
        double stillBroken = broken.Count(b => b) / (double)found.Length;
        Assert.True(stillBroken > 0.9, $"only {stillBroken:P0} stayed broken");
        Assert.InRange(report.MedianEpsilon, 1e-4, 32.0 / 255);
    }
}
