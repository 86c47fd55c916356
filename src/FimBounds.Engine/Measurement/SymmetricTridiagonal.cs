using MathNet.Numerics.LinearAlgebra;

namespace FimBounds.Engine.Measurement;

/// <summary>Eigen-problems of the small symmetric tridiagonal matrices T_m that Lanczos builds.</summary>
internal static class SymmetricTridiagonal
{
    /// <summary>
    /// λ_max of T (diagonal <paramref name="alpha"/>, off-diagonal <paramref name="beta"/>) by bisection on
    /// Sturm counts: O(m) per step, to full double precision. Cheap enough to run after every Lanczos step.
    /// </summary>
    public static double LargestEigenvalue(IReadOnlyList<double> alpha, IReadOnlyList<double> beta)
    {
        int m = alpha.Count;
        double lo = double.MaxValue;
        double hi = double.MinValue;
        for (int i = 0; i < m; i++)
        {
            double radius = (i > 0 ? Math.Abs(beta[i - 1]) : 0) + (i + 1 < m ? Math.Abs(beta[i]) : 0);
            lo = Math.Min(lo, alpha[i] - radius);
            hi = Math.Max(hi, alpha[i] + radius);
        }
        for (int iteration = 0; iteration < 200 && hi - lo > 2 * double.Epsilon * Math.Max(Math.Abs(lo), Math.Abs(hi)); iteration++)
        {
            double mid = 0.5 * (lo + hi);
            if (mid <= lo || mid >= hi)
            {
                break;
            }
            if (CountBelow(alpha, beta, mid) == m)
            {
                hi = mid;
            }
            else
            {
                lo = mid;
            }
        }
        return hi;
    }

    /// <summary>Number of eigenvalues below x (Sturm sequence of the LDLᵀ pivots of T − xI).</summary>
    private static int CountBelow(IReadOnlyList<double> alpha, IReadOnlyList<double> beta, double x)
    {
        int count = 0;
        double q = 1;
        for (int i = 0; i < alpha.Count; i++)
        {
            double b2 = i > 0 ? beta[i - 1] * beta[i - 1] : 0;
            q = alpha[i] - x - (i > 0 ? b2 / q : 0);
            if (q == 0)
            {
                q = -1e-300;
            }
            if (q < 0)
            {
                count++;
            }
        }
        return count;
    }

    /// <summary>The top eigenpair of T by a dense symmetric eigen-solve (for residuals and Ritz vectors).</summary>
    public static (double Value, double[] Vector) TopPair(IReadOnlyList<double> alpha, IReadOnlyList<double> beta)
    {
        int m = alpha.Count;
        Matrix<double> t = Matrix<double>.Build.Dense(m, m);
        for (int i = 0; i < m; i++)
        {
            t[i, i] = alpha[i];
            if (i + 1 < m)
            {
                t[i, i + 1] = beta[i];
                t[i + 1, i] = beta[i];
            }
        }
        var evd = t.Evd(Symmetricity.Symmetric);
        int top = 0;
        for (int i = 1; i < m; i++)
        {
            if (evd.EigenValues[i].Real > evd.EigenValues[top].Real)
            {
                top = i;
            }
        }
        return (evd.EigenValues[top].Real, evd.EigenVectors.Column(top).ToArray());
    }
}
