namespace FimBounds.Study.Progress;

/// <summary>
/// Reports on the calling thread, at once. <see cref="Progress{T}"/> posts to the thread pool, so a report
/// could arrive after its stage ended (or after the command printed its result) and lines could reorder.
/// </summary>
public sealed class SynchronousProgress<T>(Action<T> report) : IProgress<T>
{
    public void Report(T value) => report(value);
}
