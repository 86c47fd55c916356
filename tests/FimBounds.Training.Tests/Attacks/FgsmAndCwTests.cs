using FimBounds.Training.Attacks;
using FimBounds.Training.Tests.Fixtures;
using static TorchSharp.torch;

namespace FimBounds.Training.Tests.Attacks;

[Collection(TrainedTinyCnnCollection.Name)]
public sealed class FgsmAndCwTests
{
    private readonly TrainedTinyCnn _trained;

    public FgsmAndCwTests(TrainedTinyCnn trained) => _trained = trained;

    [Fact]
    public void Fgsm_moves_every_unclamped_pixel_by_exactly_epsilon()
    {
        using var scope = NewDisposeScope();
        (Tensor x, Tensor y) = EmbeddedData.Test.Batch(0, 32);
        const double epsilon = 0.05;
        using Attack fgsm = Attack.Create(AttackSettings.Fgsm(epsilon));

        Tensor delta = (fgsm.Perturb(_trained.Model, x, y) - x).abs();

        Tensor interior = x.gt(epsilon).logical_and(x.lt(1 - epsilon));
        Tensor moved = delta.masked_select(interior);
        Assert.True(moved.numel() > 1000);
        Assert.True((moved - epsilon).abs().max().item<float>() < 1e-6);
    }

    [Fact]
    public void Fgsm_lowers_accuracy()
    {
        AttackReport report = AttackRunner.Run(_trained.Model, EmbeddedData.Test, AttackSettings.Fgsm(16.0 / 255), 100);

        Assert.True(report.RobustAccuracy < report.CleanAccuracy - 0.15, report.Summary);
        Assert.Equal(100, report.Inputs.Count);
    }

    [Fact]
    public void Cw_finds_adversarials_on_a_random_model()
    {
        // An untrained network: attack its own predictions, which sit close to its decision boundaries.
        manual_seed(21);
        using var random = new TinyCnnSpec().CreateModel();
        random.eval();
        using var scope = NewDisposeScope();
        (Tensor x, _) = EmbeddedData.Test.Batch(0, 50);
        Tensor own = tensor(Evaluation.Predict(random, x));
        using Attack cw = Attack.Create(AttackSettings.Cw());

        Tensor adversarial = cw.Perturb(random, x, own);

        long[] after = Evaluation.Predict(random, adversarial);
        long[] before = own.data<long>().ToArray();
        int flipped = after.Where((p, i) => p != before[i]).Count();
        Assert.True(flipped >= 25, $"CW flipped only {flipped} of 50 predictions of a random model");
        Assert.True(adversarial.min().item<float>() >= 0f && adversarial.max().item<float>() <= 1f);
    }

    [Fact]
    public void Cw_returns_unfooled_inputs_unchanged_and_reports_the_fooled_ones()
    {
        AttackReport report = AttackRunner.Run(_trained.Model, EmbeddedData.Test, AttackSettings.Cw(), 50);

        Assert.All(report.Inputs.Where(i => i.AdversarialPrediction == i.Label), i => Assert.Equal(0.0, i.L2)); // the original comes back
        Assert.True(report.SuccessRate > 0, report.Summary);
        Assert.All(report.Inputs.Where(i => i.Fooled), i => Assert.True(i.L2 > 0));
    }
}
