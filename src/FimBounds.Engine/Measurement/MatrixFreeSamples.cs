namespace FimBounds.Engine.Measurement;

/// <summary>Builds the per-input record of the matrix-free estimators, with the non-finite checks they share.</summary>
internal static class MatrixFreeSamples
{
    public static FimSample Build(int index, double[] probabilities, double curvature, bool finiteLogits, double lambda,
        double? trace, int? iterations)
    {
        if (!finiteLogits)
        {
            return new FimSample { Index = index, Status = SampleStatus.NonFiniteLogits, Problem = "logits contain NaN or Inf" };
        }
        if (!double.IsFinite(lambda) || trace is { } t && !double.IsFinite(t))
        {
            return new FimSample { Index = index, Status = SampleStatus.NonFiniteGradients, Problem = "Jacobian-vector products contain NaN or Inf" };
        }
        int predicted = Array.IndexOf(probabilities, probabilities.Max());
        return new FimSample
        {
            Index = index,
            LambdaMax = Math.Max(0, lambda),
            Trace = trace,
            PMax = probabilities[predicted],
            PredictedClass = predicted,
            Probabilities = probabilities,
            ConfidenceFactor = SoftmaxCurvature.ConfidenceFactor(probabilities),
            SoftmaxCurvature = curvature,
            Iterations = iterations,
        };
    }
}
