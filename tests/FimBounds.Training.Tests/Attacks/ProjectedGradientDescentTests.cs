using FimBounds.Training.Attacks;
using FimBounds.Training.Tests.Fixtures;
using static TorchSharp.torch;

namespace FimBounds.Training.Tests.Attacks;

[Collection(TrainedTinyCnnCollection.Name)]
public sealed class ProjectedGradientDescentTests
{
    private const int Inputs = 100;
    private readonly TrainedTinyCnn _trained;

    public ProjectedGradientDescentTests(TrainedTinyCnn trained) => _trained = trained;

    [Fact]
    public void Epsilon_zero_changes_nothing()
    {
        using var scope = NewDisposeScope();
        (Tensor x, Tensor y) = EmbeddedData.Test.Batch(0, 50);
        using Attack pgd = Attack.Create(AttackSettings.Pgd(0.0, 0.0));

        Tensor adversarial = pgd.Perturb(_trained.Model, x, y);

        Assert.True(TensorAssert.Identical(adversarial, x));
        AttackReport report = AttackRunner.Run(_trained.Model, EmbeddedData.Test, AttackSettings.Pgd(0.0, 0.0), 100);
        Assert.Equal(report.CleanAccuracy, report.RobustAccuracy);
        Assert.Equal(0.0, report.SuccessRate);
    }

    [Fact]
    public void Growing_epsilon_never_raises_robust_accuracy()
    {
        double[] epsilons = [0, 2.0 / 255, 4.0 / 255, 8.0 / 255, 16.0 / 255];

        double[] robust = epsilons
            .Select(e => AttackRunner.Run(_trained.Model, EmbeddedData.Test, AttackSettings.Pgd(e, e / 4, steps: 10) with { Seed = 11 }, Inputs).RobustAccuracy)
            .ToArray();

        for (int i = 1; i < robust.Length; i++)
        {
            Assert.True(robust[i] <= robust[i - 1], $"robust accuracy rose from {robust[i - 1]} at ε={epsilons[i - 1]:F4} to {robust[i]} at ε={epsilons[i]:F4}");
        }
        Assert.True(robust[^1] < robust[0] - 0.15, $"PGD at 16/255 should break many inputs of a standard model: {robust[0]} → {robust[^1]}");
    }

    [Fact]
    public void Linf_perturbations_stay_in_the_ball_and_the_pixel_box()
    {
        using var scope = NewDisposeScope();
        (Tensor x, Tensor y) = EmbeddedData.Test.Batch(0, 64);
        const double epsilon = 8.0 / 255;
        using Attack pgd = Attack.Create(AttackSettings.Pgd(epsilon) with { Seed = 4 });

        Tensor adversarial = pgd.Perturb(_trained.Model, x, y);

        Assert.True((adversarial - x).abs().max().item<float>() <= epsilon + 1e-6);
        Assert.True(adversarial.min().item<float>() >= 0f && adversarial.max().item<float>() <= 1f);
        Assert.True((adversarial - x).abs().max().item<float>() > epsilon / 2); // it moved
    }

    [Fact]
    public void L2_perturbations_stay_in_the_ball_and_break_inputs()
    {
        using var scope = NewDisposeScope();
        (Tensor x, Tensor y) = EmbeddedData.Test.Batch(0, 64);
        using Attack pgd = Attack.Create(AttackSettings.PgdL2(1.0) with { Seed = 4 });

        Tensor adversarial = pgd.Perturb(_trained.Model, x, y);

        double maxNorm = (adversarial - x).flatten(1).norm(1).max().item<float>();
        Assert.InRange(maxNorm, 0.5, 1.0 + 1e-5);
        AttackReport report = AttackRunner.Run(_trained.Model, EmbeddedData.Test, AttackSettings.PgdL2(1.0, steps: 10), 64);
        Assert.True(report.SuccessRate > 0.2, report.Summary);
    }

    [Fact]
    public void Same_seed_same_perturbation()
    {
        using var scope = NewDisposeScope();
        (Tensor x, Tensor y) = EmbeddedData.Test.Batch(0, 16);
        using Attack a = Attack.Create(AttackSettings.Pgd() with { Seed = 9 });
        using Attack b = Attack.Create(AttackSettings.Pgd() with { Seed = 9 });

        Assert.True(TensorAssert.Identical(a.Perturb(_trained.Model, x, y), b.Perturb(_trained.Model, x, y)));
    }

    [Fact]
    public void Attacks_leave_the_model_parameters_and_mode_alone()
    {
        using var scope = NewDisposeScope();
        (Tensor x, Tensor y) = EmbeddedData.Test.Batch(0, 16);
        Tensor[] before = _trained.Model.parameters().Select(p => p.detach().clone()).ToArray();
        _trained.Model.zero_grad();
        _trained.Model.train();
        try
        {
            foreach (AttackKind kind in Enum.GetValues<AttackKind>())
            {
                using Attack attack = Attack.Create(AttackSettings.Default(kind));
                attack.Perturb(_trained.Model, x, y);
            }
            Assert.True(_trained.Model.training);
        }
        finally
        {
            _trained.Model.eval();
        }
        Assert.All(_trained.Model.parameters().Zip(before), pair => Assert.True(TensorAssert.Identical(pair.First, pair.Second)));
        Assert.All(_trained.Model.parameters(), p => Assert.True(p.grad is null || p.grad.abs().sum().item<float>() == 0));
    }
}
