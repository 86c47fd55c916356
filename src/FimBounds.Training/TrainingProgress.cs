namespace FimBounds.Training;

/// <summary>A snapshot of a training run, reported after every batch and after every epoch's evaluation.</summary>
public sealed record TrainingProgress(
    int Epoch,
    int Epochs,
    int Step,
    int StepsPerEpoch,
    double Loss,
    double TrainAccuracy,
    double? TestAccuracy,
    double LearningRate,
    TimeSpan Elapsed)
{
    /// <summary>Completed steps over all epochs.</summary>
    public int TotalStep => (Epoch - 1) * StepsPerEpoch + Step;

    public int TotalSteps => Epochs * StepsPerEpoch;
}

/// <summary>One finished epoch: running loss and accuracy on the (possibly adversarial) training batches, clean test accuracy.</summary>
public sealed record EpochSummary(int Epoch, double Loss, double TrainAccuracy, double TestAccuracy, double Seconds);
