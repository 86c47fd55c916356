using FimBounds.Data;
using FimBounds.Training.Tests.Fixtures;
using TorchSharp;
using static TorchSharp.torch;

namespace FimBounds.Training.Tests.Study;

[Collection(TrainedTinyCnnCollection.Name)]
public sealed class KlCheckTests
{
    private readonly TrainedTinyCnn _trained;

    public KlCheckTests(TrainedTinyCnn trained) => _trained = trained;

    [Fact]
    public void Kl_divergence_is_zero_at_the_same_input_and_positive_elsewhere()
    {
        using var scope = NewDisposeScope();
        (Tensor x, _) = EmbeddedData.Test.Batch(0, 8);

        Assert.Equal(0.0, KlCheck.KlDivergence(_trained.Model, x, x).abs().max().item<double>(), 7);
        Assert.True(KlCheck.KlDivergence(_trained.Model, x, (x + 0.05).clamp(0, 1)).min().item<double>() > 0);
    }

    [Fact]
    public void Second_order_prediction_converges_as_delta_shrinks()
    {
        // KL − ½δᵀFδ is third order in δ, so the relative error falls ∝ ‖δ‖ — where the model is
        // differentiable. A ReLU/average-pool network is piecewise linear: tiny δ stay on one piece.
        // (Max pooling over Fashion-MNIST's exactly-zero background ties, and there KL is not quadratic.)
        manual_seed(8);
        using var model = new TinyCnnSpec(averagePool: true).CreateModel();
        model.to(ScalarType.Float64);
        model.eval();
        double Median(double epsilon) => KlCheck.Run(model, EmbeddedData.Test, 40,
            new KlCheckOptions { Epsilon = epsilon, Seed = 5 }, dtype: ScalarType.Float64).MedianRelativeError;

        double coarse = Median(8.0 / 255);
        double fine = Median(8.0 / 255 / 100);

        Assert.True(fine < 0.01, $"relative error {fine} at ε = 8/25500");
        Assert.True(fine < coarse / 10, $"the error should fall with ε: {coarse} → {fine}");
    }

    [Fact]
    public void Paper_protocol_reports_every_input_with_bounded_perturbations()
    {
        KlCheckReport report = KlCheck.Run(_trained.Model, EmbeddedData.Test, 50, new KlCheckOptions { Seed = 1 });

        Assert.Equal(50, report.Samples.Count);
        Assert.All(report.Samples, s => Assert.True(s.Kl >= -1e-6 && s.HalfQuadratic >= 0));
        Assert.True(double.IsFinite(report.MedianRelativeError), report.ToString());
    }

    [Fact]
    public void A_custom_quadratic_form_is_used_when_given()
    {
        KlCheckReport doubled = KlCheck.Run(_trained.Model, EmbeddedData.Test, 10, new KlCheckOptions { Seed = 1 },
            (m, x, d) => FisherQuadraticForm.Compute(m, x, d) * 2);
        KlCheckReport plain = KlCheck.Run(_trained.Model, EmbeddedData.Test, 10, new KlCheckOptions { Seed = 1 });

        Assert.All(doubled.Samples.Zip(plain.Samples), p => Assert.Equal(2 * p.Second.HalfQuadratic, p.First.HalfQuadratic, 1e-9));
    }
}
