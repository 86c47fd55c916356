using FimBounds.Core.Statistics;

namespace FimBounds.Engine.Measurement;

/// <summary>The result of measuring λ_max(F(x)) on a batch of inputs.</summary>
public sealed record FimMeasurement(
    FimMethod Method,
    int Classes,
    long InputDimension,
    IReadOnlyList<FimSample> Samples,
    double Seconds)
{
    /// <summary>Summary of λ_max (of the trace for Hutchinson, which does not estimate λ_max).</summary>
    public FimSummary Summary
    {
        get
        {
            IEnumerable<FimSample> finite = Samples.Where(s => s.IsFinite);
            double[] values = Method == FimMethod.Hutchinson
                ? finite.Select(s => s.Trace ?? double.NaN).ToArray()
                : finite.Select(s => s.LambdaMax ?? double.NaN).ToArray();
            return FimSummary.Of(values, Samples.Count(s => !s.IsFinite));
        }
    }

    /// <summary>What <see cref="Summary"/> summarises.</summary>
    public string SummaryOf => Method == FimMethod.Hutchinson ? "trace" : "lambdaMax";
}

/// <summary>Progress of a measurement: inputs done out of the total.</summary>
public readonly record struct FimProgress(int Done, int Total);
