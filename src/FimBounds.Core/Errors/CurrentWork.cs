using System;
using System.Threading;

namespace FimBounds.Core.Errors;

/// <summary>
/// What the program is doing right now, innermost last ("training vit-mini (pgd)", "measuring λ_max
/// (exact)"), so that an unexpected failure deep inside libtorch can be reported as "internal error in
/// &lt;what it was doing&gt;" instead of a native stack. Scopes nest per logical flow (async-local).
/// </summary>
public static class CurrentWork
{
    private static readonly AsyncLocal<Frame?> Top = new();

    /// <summary>Marks the work until the returned scope is disposed.</summary>
    public static IDisposable Begin(string description)
    {
        var frame = new Frame(description, Top.Value);
        Top.Value = frame;
        return frame;
    }

    /// <summary>The innermost work in progress on this flow, or null.</summary>
    public static string? Description => Top.Value?.Description;

    private sealed class Frame(string description, Frame? outer) : IDisposable
    {
        public string Description { get; } = description;

        public void Dispose()
        {
            if (Top.Value == this)
            {
                Top.Value = outer;
            }
        }
    }
}
