using FimBounds.Torch;
using TorchSharp;
using static TorchSharp.torch;

namespace FimBounds.Engine.Norms;

/// <summary>
/// Scores of the pending frequencies (higher first) and which of them were refined already: more Krylov steps
/// from the same start would find the same values, so each round refines others. The scores live in the
/// caller's dispose scope.
/// </summary>
internal sealed class FrequencyRanking
{
    private Tensor _scores;
    private Tensor _refined;

    public FrequencyRanking(Tensor scores)
    {
        _scores = scores;
        _refined = zeros_like(scores, dtype: ScalarType.Bool);
    }

    /// <summary>Keeps the entries at <paramref name="positions"/>, in that order (the frequencies still pending).</summary>
    public void Keep(Tensor positions)
    {
        _scores = _scores.index_select(0, positions);
        _refined = _refined.index_select(0, positions);
    }

    /// <summary>New scores for the same frequencies; which were refined is kept.</summary>
    public void Rerank(Tensor scores) => _scores = scores;

    /// <summary>Positions of the best <paramref name="count"/> not refined yet (refined ones only when no others are left), now marked refined.</summary>
    public Tensor TakeBest(int count)
    {
        using var unrefinedFirst = double.NegativeInfinity.ToScalar();
        Tensor best = _scores.masked_fill(_refined, unrefinedFirst).topk((int)Math.Min(count, _scores.shape[0])).indexes;
        using var marked = true.ToScalar();
        _refined.index_fill_(0, best, marked);
        return best;
    }
}
