using MathNet.Numerics.LinearAlgebra;

namespace FimBounds.Engine.Measurement;

/// <summary>The top eigenpair of a small symmetric tridiagonal matrix T_m built by a Lanczos recurrence.</summary>
internal static class SymmetricTridiagonal
{
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
