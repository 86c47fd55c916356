using System.Runtime.CompilerServices;

// The tests check the estimators' internals (Jacobian rows, the matrix-free operator) against dense algebra.
[assembly: InternalsVisibleTo("FimBounds.Engine.Tests")]
