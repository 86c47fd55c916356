using FimBounds.Data;
using static TorchSharp.torch;

namespace FimBounds.Training;

/// <summary>Clean predictions and accuracy, in eval mode, without gradients.</summary>
public static class Evaluation
{
    /// <summary>Predicted classes of a batch of pixel inputs.</summary>
    public static long[] Predict(nn.Module<Tensor, Tensor> model, Tensor inputs)
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        return model.call(inputs).argmax(1).data<long>().ToArray();
    }

    /// <summary>Fraction of the first <paramref name="samples"/> items (all when null) classified correctly.</summary>
    public static double Accuracy(
        nn.Module<Tensor, Tensor> model, ImageDataset dataset, int? samples = null, int batchSize = 250,
        ScalarType dtype = ScalarType.Float32, CancellationToken cancellationToken = default)
    {
        int count = Math.Min(samples ?? dataset.Count, dataset.Count);
        if (count == 0)
        {
            return double.NaN;
        }
        bool wasTraining = model.training;
        model.eval();
        try
        {
            int correct = 0;
            for (int start = 0; start < count; start += batchSize)
            {
                cancellationToken.ThrowIfCancellationRequested();
                using var scope = NewDisposeScope();
                (Tensor x, Tensor y) = dataset.Batch(start, Math.Min(batchSize, count - start), dtype);
                long[] predicted = Predict(model, x);
                long[] labels = y.data<long>().ToArray();
                correct += predicted.Where((p, i) => p == labels[i]).Count();
            }
            return (double)correct / count;
        }
        finally
        {
            model.train(wasTraining);
        }
    }
}
