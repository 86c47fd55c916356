using System;
using System.Globalization;

namespace FimBounds.Core.Algebra;

/// <summary>
/// A number of the algebra: an exact rational p/q (64-bit, reduced, q &gt; 0) whenever it can be, a double
/// otherwise. Exactness matters for the constants the rules produce (½, ¼, 1/√n, ε = 10⁻⁵, 1/std): they
/// must print exactly and cancel exactly ((1/√2)² = ½). Arithmetic that overflows 64 bits falls back to
/// doubles.
/// </summary>
/// <remarks>
/// One rule decides exactness everywhere: a double whose shortest round-trip decimal has at most
/// <see cref="MaxExactDigits"/> significant digits IS that decimal, exactly (0.229 → 229/1000); longer
/// ones stay doubles. The parser applies the same rule to literals, so print → parse round-trips.
/// </remarks>
public readonly struct Number : IEquatable<Number>, IComparable<Number>
{
    /// <summary>Decimals with at most this many significant digits are read as exact rationals.</summary>
    public const int MaxExactDigits = 12;

    private readonly long _num;
    private readonly long _den; // 0 marks an inexact (double) number
    private readonly double _value;

    private Number(long num, long den, double value)
    {
        _num = num;
        _den = den;
        _value = value;
    }

    public static readonly Number Zero = new(0, 1, 0.0);
    public static readonly Number One = new(1, 1, 1.0);
    public static readonly Number MinusOne = new(-1, 1, -1.0);
    public static readonly Number Half = Rational(1, 2);

    public bool IsExact => _den != 0;

    public long Numerator => IsExact ? _num : throw new InvalidOperationException("An inexact number has no numerator.");

    public long Denominator => IsExact ? _den : throw new InvalidOperationException("An inexact number has no denominator.");

    public double Value => _value;

    public bool IsInteger => IsExact && _den == 1;

    public bool IsZero => IsExact ? _num == 0 : _value == 0.0;

    public bool IsOne => IsExact && _num == 1 && _den == 1;

    public int Sign => IsExact ? Math.Sign(_num) : Math.Sign(_value);

    public static Number Integer(long value) => new(value, 1, value);

    /// <summary>The reduced rational p/q.</summary>
    public static Number Rational(long p, long q)
    {
        if (q == 0)
        {
            throw new DivideByZeroException("A rational number needs a nonzero denominator.");
        }
        if (p == long.MinValue || q == long.MinValue)
        {
            return FromDouble((double)p / q);
        }
        if (q < 0)
        {
            p = -p;
            q = -q;
        }
        long g = Gcd(Math.Abs(p), q);
        if (g > 1)
        {
            p /= g;
            q /= g;
        }
        return new Number(p, q, (double)p / q);
    }

    /// <summary>
    /// The exact decimal a double prints as, when that decimal is short (≤ <see cref="MaxExactDigits"/>
    /// significant digits); the double itself otherwise.
    /// </summary>
    public static Number FromDouble(double value)
    {
        if (double.IsNaN(value) || double.IsInfinity(value))
        {
            throw new ArgumentException($"The algebra has no number {value.ToString(CultureInfo.InvariantCulture)}; bounds are finite.", nameof(value));
        }
        if (value == Math.Floor(value) && Math.Abs(value) < 1e15)
        {
            return Integer((long)value);
        }
        return TryParseExactDecimal(value.ToString("R", CultureInfo.InvariantCulture), out Number exact)
            ? exact
            : new Number(0, 0, value);
    }

    /// <summary>Reads a decimal literal ("1.13", "1E-05", "42") by the exactness rule above.</summary>
    public static Number ParseDecimal(string text)
    {
        if (TryParseExactDecimal(text, out Number exact))
        {
            return exact;
        }
        double value = double.Parse(text, NumberStyles.Float, CultureInfo.InvariantCulture);
        if (double.IsNaN(value) || double.IsInfinity(value))
        {
            throw new FormatException($"The literal '{text}' is out of range.");
        }
        // A long literal of a short double ("0.50000000000000000") is still that double's exact decimal.
        return FromDouble(value);
    }

    private static bool TryParseExactDecimal(string text, out Number result)
    {
        result = default;
        int exponent = 0;
        int e = text.IndexOfAny(new[] { 'e', 'E' });
        string mantissa = text;
        if (e >= 0)
        {
            if (!int.TryParse(text.Substring(e + 1), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out exponent))
            {
                return false;
            }
            mantissa = text.Substring(0, e);
        }
        bool negative = mantissa.StartsWith("-", StringComparison.Ordinal);
        if (negative || mantissa.StartsWith("+", StringComparison.Ordinal))
        {
            mantissa = mantissa.Substring(1);
        }
        int dot = mantissa.IndexOf('.');
        string digits = dot < 0 ? mantissa : mantissa.Remove(dot, 1);
        int fraction = dot < 0 ? 0 : mantissa.Length - dot - 1;
        if (digits.Length == 0)
        {
            return false;
        }
        foreach (char c in digits)
        {
            if (c < '0' || c > '9')
            {
                return false;
            }
        }
        string significant = digits.TrimStart('0');
        int trailingZeros = significant.Length - significant.TrimEnd('0').Length;
        // A plain integer literal is exact at any length that fits: only exact rationals print as one (a
        // double that large prints with an exponent), and their numerators and denominators must read back.
        bool integerLiteral = dot < 0 && e < 0;
        if (significant.Length - trailingZeros > MaxExactDigits && !integerLiteral)
        {
            return false;
        }
        if (significant.Length == 0)
        {
            result = Zero;
            return true;
        }
        // value = digits · 10^(exponent − fraction); drop trailing zeros into the exponent first.
        if (!long.TryParse(significant.Substring(0, significant.Length - trailingZeros), NumberStyles.None, CultureInfo.InvariantCulture, out long mantissaValue))
        {
            return false;
        }
        int scale = exponent - fraction + trailingZeros;
        if (Math.Abs(scale) > 18)
        {
            return false;
        }
        try
        {
            long power = Pow10(Math.Abs(scale));
            result = scale >= 0
                ? Rational(checked(mantissaValue * power) * (negative ? -1 : 1), 1)
                : Rational(mantissaValue * (negative ? -1 : 1), power);
            return true;
        }
        catch (OverflowException)
        {
            return false;
        }
    }

    private static long Pow10(int k)
    {
        long p = 1;
        for (int i = 0; i < k; i++)
        {
            p = checked(p * 10);
        }
        return p;
    }

    internal static long Gcd(long a, long b)
    {
        while (b != 0)
        {
            long t = a % b;
            a = b;
            b = t;
        }
        return a == 0 ? 1 : a;
    }

    public static Number operator +(Number a, Number b)
    {
        if (a.IsExact && b.IsExact)
        {
            try
            {
                long g = Gcd(a._den, b._den);
                long den = checked(a._den / g * b._den);
                long num = checked(a._num * (den / a._den) + b._num * (den / b._den));
                return Rational(num, den);
            }
            catch (OverflowException)
            {
            }
        }
        return FromDouble(a._value + b._value);
    }

    public static Number operator -(Number a) => a.IsExact && a._num != long.MinValue ? new Number(-a._num, a._den, -a._value) : FromDouble(-a._value);

    public static Number operator -(Number a, Number b) => a + -b;

    public static Number operator *(Number a, Number b)
    {
        if (a.IsExact && b.IsExact)
        {
            try
            {
                long g1 = Gcd(Math.Abs(a._num), b._den);
                long g2 = Gcd(Math.Abs(b._num), a._den);
                return Rational(checked((a._num / g1) * (b._num / g2)), checked((a._den / g2) * (b._den / g1)));
            }
            catch (OverflowException)
            {
            }
        }
        return FromDouble(a._value * b._value);
    }

    public Number Reciprocal()
    {
        if (IsZero)
        {
            throw new DivideByZeroException("The algebra cannot divide by zero.");
        }
        return IsExact ? Rational(_den, _num) : FromDouble(1.0 / _value);
    }

    public static Number operator /(Number a, Number b) => a * b.Reciprocal();

    public Number Abs() => Sign < 0 ? -this : this;

    /// <summary>this^k for an integer k, exact when the result fits.</summary>
    public Number PowInteger(long k)
    {
        if (k < 0)
        {
            return PowInteger(-k).Reciprocal();
        }
        if (IsExact)
        {
            try
            {
                long num = 1;
                long den = 1;
                for (long i = 0; i < k; i++)
                {
                    num = checked(num * _num);
                    den = checked(den * _den);
                }
                return Rational(num, den);
            }
            catch (OverflowException)
            {
            }
        }
        return FromDouble(Math.Pow(_value, k));
    }

    /// <summary>The largest integer ≤ this.</summary>
    public long Floor() => IsExact
        ? (_num >= 0 ? _num / _den : -((-_num + _den - 1) / _den))
        : (long)Math.Floor(_value);

    public bool Equals(Number other) => IsExact == other.IsExact && (IsExact ? _num == other._num && _den == other._den : _value.Equals(other._value));

    public override bool Equals(object? obj) => obj is Number other && Equals(other);

    public override int GetHashCode() => IsExact ? unchecked((int)(_num * 397 ^ _den)) : _value.GetHashCode();

    /// <summary>Numeric order; an exact number sorts before an inexact one of the same value (a total order).</summary>
    public int CompareTo(Number other)
    {
        if (IsExact && other.IsExact)
        {
            try
            {
                return checked(_num * other._den).CompareTo(checked(other._num * _den));
            }
            catch (OverflowException)
            {
                // fall through to the double comparison below
            }
        }
        int c = _value.CompareTo(other._value);
        if (c != 0)
        {
            return c;
        }
        if (IsExact != other.IsExact)
        {
            return IsExact ? -1 : 1;
        }
        if (IsExact)
        {
            c = _num.CompareTo(other._num);
            return c != 0 ? c : _den.CompareTo(other._den);
        }
        return 0;
    }

    public static bool operator ==(Number a, Number b) => a.Equals(b);

    public static bool operator !=(Number a, Number b) => !a.Equals(b);

    public static bool operator <(Number a, Number b) => a.CompareTo(b) < 0;

    public static bool operator >(Number a, Number b) => a.CompareTo(b) > 0;

    public static bool operator <=(Number a, Number b) => a.CompareTo(b) <= 0;

    public static bool operator >=(Number a, Number b) => a.CompareTo(b) >= 0;

    public static implicit operator Number(long value) => Integer(value);

    /// <summary>The parseable text: integers, decimals when the denominator is a power of ten, p/q otherwise, R-format doubles.</summary>
    public override string ToString()
    {
        if (!IsExact)
        {
            return _value.ToString("R", CultureInfo.InvariantCulture);
        }
        if (_den == 1)
        {
            return _num.ToString(CultureInfo.InvariantCulture);
        }
        if (IsPowerOfTen(_den, out int digits))
        {
            return DecimalString(digits);
        }
        return _num.ToString(CultureInfo.InvariantCulture) + "/" + _den.ToString(CultureInfo.InvariantCulture);
    }

    internal static bool IsPowerOfTen(long value, out int exponent)
    {
        exponent = 0;
        while (value > 1 && value % 10 == 0)
        {
            value /= 10;
            exponent++;
        }
        return value == 1;
    }

    /// <summary>p/10^k as a plain decimal without exponent ("0.00001", "1.13").</summary>
    internal string DecimalString(int fractionDigits)
    {
        string sign = _num < 0 ? "-" : "";
        string digits = Math.Abs(_num).ToString(CultureInfo.InvariantCulture).PadLeft(fractionDigits + 1, '0');
        return sign + digits.Substring(0, digits.Length - fractionDigits) + "." + digits.Substring(digits.Length - fractionDigits);
    }
}
