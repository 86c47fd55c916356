using System;
using System.Globalization;

namespace FimBounds.Core.Algebra;

/// <summary>
/// A closed interval [Lo, Hi] of reals with outward-rounded arithmetic: every operation widens its
/// result by one unit in the last place (two for pow), so the exact real result always lies inside.
/// </summary>
public readonly struct Interval : IEquatable<Interval>
{
    public Interval(double lo, double hi)
    {
        if (double.IsNaN(lo) || double.IsNaN(hi) || lo > hi)
        {
            throw new ArgumentException($"[{lo.ToString(CultureInfo.InvariantCulture)}, {hi.ToString(CultureInfo.InvariantCulture)}] is not an interval.");
        }
        Lo = lo;
        Hi = hi;
    }

    public double Lo { get; }

    public double Hi { get; }

    public static Interval Point(double x) => new(x, x);

    public bool Contains(double x) => Lo <= x && x <= Hi;

    public double Width => Hi - Lo;

    public static Interval operator +(Interval a, Interval b) => new(NextDown(a.Lo + b.Lo), NextUp(a.Hi + b.Hi));

    public static Interval operator -(Interval a) => new(-a.Hi, -a.Lo);

    public static Interval operator -(Interval a, Interval b) => a + -b;

    public static Interval operator *(Interval a, Interval b)
    {
        double p1 = a.Lo * b.Lo;
        double p2 = a.Lo * b.Hi;
        double p3 = a.Hi * b.Lo;
        double p4 = a.Hi * b.Hi;
        double lo = Math.Min(Math.Min(p1, p2), Math.Min(p3, p4));
        double hi = Math.Max(Math.Max(p1, p2), Math.Max(p3, p4));
        // 0·∞ products come out NaN; they only arise for unbounded factors.
        if (double.IsNaN(lo) || double.IsNaN(hi))
        {
            return new Interval(double.NegativeInfinity, double.PositiveInfinity);
        }
        return new Interval(NextDown(lo), NextUp(hi));
    }

    public Interval Abs() =>
        Lo >= 0 ? this : Hi <= 0 ? -this : new Interval(0, Math.Max(-Lo, Hi));

    public static Interval Max(Interval a, Interval b) => new(Math.Max(a.Lo, b.Lo), Math.Max(a.Hi, b.Hi));

    public static Interval Min(Interval a, Interval b) => new(Math.Min(a.Lo, b.Lo), Math.Min(a.Hi, b.Hi));

    /// <summary>x^k for a constant exponent k.</summary>
    public Interval Pow(double k, bool integer, bool even)
    {
        if (integer && k >= 0)
        {
            if (Lo >= 0)
            {
                return new Interval(Down2(Math.Pow(Lo, k)), Up2(Math.Pow(Hi, k)));
            }
            if (Hi <= 0)
            {
                var m = (-this).Pow(k, true, even);
                return even ? m : -m;
            }
            // 0 inside: even powers reach 0, odd ones are monotone.
            return even
                ? new Interval(0, Up2(Math.Pow(Math.Max(-Lo, Hi), k)))
                : new Interval(Down2(Math.Pow(Lo, k)), Up2(Math.Pow(Hi, k)));
        }
        if (integer)
        {
            // Negative integer power: reciprocal of the positive power; unbounded when 0 is inside.
            Interval p = Pow(-k, true, even);
            return p.Reciprocal();
        }
        if (Lo < 0)
        {
            throw new ArgumentException("A fractional power of an interval reaching below 0 is not real.");
        }
        if (k > 0)
        {
            return new Interval(Math.Max(0, Down2(Math.Pow(Lo, k))), Up2(Math.Pow(Hi, k)));
        }
        return new Interval(Math.Max(0, Down2(Math.Pow(Hi, k))), Lo == 0 ? double.PositiveInfinity : Up2(Math.Pow(Lo, k)));
    }

    /// <summary>Widens both ends by the relative amount δ (for results computed with an approximated constant).</summary>
    public Interval WidenRelative(double delta) =>
        new(Lo - Math.Abs(Lo) * delta, Hi + Math.Abs(Hi) * delta);

    public Interval Reciprocal()
    {
        if (Lo > 0 || Hi < 0)
        {
            return new Interval(NextDown(1.0 / Hi), NextUp(1.0 / Lo));
        }
        if (Lo == 0 && Hi > 0)
        {
            return new Interval(NextDown(1.0 / Hi), double.PositiveInfinity);
        }
        if (Hi == 0 && Lo < 0)
        {
            return new Interval(double.NegativeInfinity, NextUp(1.0 / Lo));
        }
        return new Interval(double.NegativeInfinity, double.PositiveInfinity);
    }

    /// <summary>x^y for x ≥ 0: monotone in each argument, so the extremes are at the corners.</summary>
    public static Interval Pow(Interval x, Interval y)
    {
        if (x.Lo < 0)
        {
            throw new ArgumentException("A symbolic power of an interval reaching below 0 is not real.");
        }
        double a = Math.Pow(x.Lo, y.Lo);
        double b = Math.Pow(x.Lo, y.Hi);
        double c = Math.Pow(x.Hi, y.Lo);
        double d = Math.Pow(x.Hi, y.Hi);
        return new Interval(Math.Max(0, Down2(Math.Min(Math.Min(a, b), Math.Min(c, d)))), Up2(Math.Max(Math.Max(a, b), Math.Max(c, d))));
    }

    private static double Up2(double x) => NextUp(NextUp(x));

    private static double Down2(double x) => NextDown(NextDown(x));

    /// <summary>The next double above x (IEEE nextUp).</summary>
    public static double NextUp(double x)
    {
        if (double.IsNaN(x) || double.IsPositiveInfinity(x))
        {
            return x;
        }
        if (x == 0)
        {
            return double.Epsilon;
        }
        long bits = BitConverter.DoubleToInt64Bits(x);
        return BitConverter.Int64BitsToDouble(x > 0 ? bits + 1 : bits - 1);
    }

    /// <summary>The next double below x (IEEE nextDown).</summary>
    public static double NextDown(double x) => -NextUp(-x);

    public bool Equals(Interval other) => Lo.Equals(other.Lo) && Hi.Equals(other.Hi);

    public override bool Equals(object? obj) => obj is Interval other && Equals(other);

    public override int GetHashCode() => Lo.GetHashCode() * 397 ^ Hi.GetHashCode();

    public override string ToString() =>
        "[" + Lo.ToString("R", CultureInfo.InvariantCulture) + ", " + Hi.ToString("R", CultureInfo.InvariantCulture) + "]";
}
