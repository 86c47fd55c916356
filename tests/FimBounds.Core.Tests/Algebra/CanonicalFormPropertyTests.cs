using CsCheck;
using FimBounds.Core.Algebra;
using FimBounds.Core.Tests.Support;

namespace FimBounds.Core.Tests.Algebra;

/// <summary>Properties of the canonical form over thousands of random expressions (each from a fixed sequence of cases, so every run checks the same ones).</summary>
public class CanonicalFormPropertyTests
{
    private const int Iterations = 4000;

    private static bool TryBuild(RawExpr raw, out Expr built)
    {
        try
        {
            built = raw.Build();
            return true;
        }
        catch (DivideByZeroException)
        {
            built = Expr.Zero;
            return false;
        }
    }

    [Fact]
    public void Canonicalisation_never_changes_the_value()
    {
        Gen.Select(RawExpr.Gen, RawExpr.Values).SamplePinned((raw, values) =>
        {
            double naive = raw.Naive(values);
            if (!double.IsFinite(naive) || Math.Abs(naive) > 1e12 || !TryBuild(raw, out Expr canonical))
            {
                return; // outside the reals, or 0 in a denominator: nothing to compare
            }
            double value = canonical.Evaluate(values);
            Assert.True(Math.Abs(value - naive) <= 1e-9 * (1 + Math.Abs(naive)),
                $"{raw}\n canonical {canonical.ToText()}\n naive {naive:R} canonical {value:R}");
        }, Iterations, "0000000000001");
    }

    [Fact]
    public void Print_then_parse_gives_the_same_expression()
    {
        RawExpr.Gen.SamplePinned(raw =>
        {
            if (!TryBuild(raw, out Expr canonical))
            {
                return;
            }
            string text = canonical.ToText();
            Expr parsed = ExprParser.Parse(text);
            Assert.True(parsed.Equals(canonical), $"{raw}\n text   {text}\n parsed {parsed.ToText()}");
        }, Iterations, "0000000000002");
    }

    [Fact]
    public void Canonical_form_does_not_depend_on_operand_order_or_grouping()
    {
        Gen.Select(RawExpr.Gen, Gen.Int).SamplePinned((raw, seed) =>
        {
            if (!TryBuild(raw, out Expr canonical))
            {
                return;
            }
            RawExpr scrambled = raw.Scramble(new Random(seed));
            if (!TryBuild(scrambled, out Expr other))
            {
                return;
            }
            // Inexact coefficients make floating-point sums order dependent in their last bits.
            if (HasInexactNumbers(raw))
            {
                return;
            }
            Assert.True(other.Equals(canonical), $"{raw}\n {scrambled}\n {canonical.ToText()}\n {other.ToText()}");
        }, Iterations, "0000000000003");
    }

    [Fact]
    public void Canonicalisation_is_idempotent()
    {
        RawExpr.Gen.SamplePinned(raw =>
        {
            if (!TryBuild(raw, out Expr canonical))
            {
                return;
            }
            Expr again = canonical.Rewrite(e => e);
            Assert.True(again.Equals(canonical), $"{canonical.ToText()}\n {again.ToText()}");
        }, Iterations, "0000000000004");
    }

    [Fact]
    public void Compiled_and_interval_evaluation_agree_with_evaluation()
    {
        Gen.Select(RawExpr.Gen, RawExpr.Values).SamplePinned((raw, values) =>
        {
            if (!TryBuild(raw, out Expr canonical))
            {
                return;
            }
            double value = canonical.Evaluate(values);
            if (!double.IsFinite(value) || Math.Abs(value) > 1e12)
            {
                return;
            }
            var points = values.ToDictionary(kv => kv.Key, kv => Interval.Point(kv.Value));
            Interval enclosure;
            try
            {
                enclosure = canonical.EvaluateInterval(points);
            }
            catch (ArgumentException)
            {
                return; // a fractional power of a sign-indefinite enclosure
            }
            Assert.True(enclosure.Contains(value), $"{canonical.ToText()}: {value:R} not in {enclosure}");
        }, Iterations, "0000000000005");
    }

    [Fact]
    public void Interval_evaluation_encloses_every_point_of_the_box()
    {
        var widths = Gen.Double[0.0, 0.3].Array[RawExpr.Names.Length];
        var unit = Gen.Double[0.0, 1.0].Array[RawExpr.Names.Length].Array[6];
        Gen.Select(RawExpr.Gen, RawExpr.Values, widths, unit).SamplePinned((raw, centre, width, samples) =>
        {
            if (!TryBuild(raw, out Expr canonical))
            {
                return;
            }
            var box = new Dictionary<string, Interval>();
            for (int i = 0; i < RawExpr.Names.Length; i++)
            {
                double c = centre[RawExpr.Names[i]];
                box[RawExpr.Names[i]] = new Interval(c * (1 - width[i]), c * (1 + width[i]));
            }
            Interval enclosure;
            try
            {
                enclosure = canonical.EvaluateInterval(box);
            }
            catch (ArgumentException)
            {
                return; // a fractional power of a sign-indefinite enclosure
            }
            foreach (double[] u in samples)
            {
                var point = new Dictionary<string, double>();
                for (int i = 0; i < RawExpr.Names.Length; i++)
                {
                    Interval iv = box[RawExpr.Names[i]];
                    point[RawExpr.Names[i]] = iv.Lo + u[i] * (iv.Hi - iv.Lo);
                }
                double value = canonical.Evaluate(point);
                if (double.IsNaN(value))
                {
                    continue;
                }
                Assert.True(enclosure.Contains(value), $"{canonical.ToText()}: {value:R} not in {enclosure}");
            }
        }, Iterations, "0000000000006");
    }

    private static bool HasInexactNumbers(RawExpr raw) => raw.Op == "dbl" || raw.Children.Any(HasInexactNumbers);
}
