using System.Collections.Immutable;

namespace FimBounds.Generators.Building;

/// <summary>
/// The block parameters in force while a block's layers are built (<c>BlockParam.Channels</c> …), and the
/// blocks being expanded, innermost first, to detect a block that uses itself.
/// </summary>
internal sealed record BlockContext(int? Channels, int? Stride, int? Hidden, int? Heads, ImmutableStack<string> Blocks)
{
    public const int ChannelsPlaceholder = -1001;
    public const int StridePlaceholder = -1002;
    public const int HiddenPlaceholder = -1003;
    public const int HeadsPlaceholder = -1004;

    public static BlockContext TopLevel { get; } = new(null, null, null, null, ImmutableStack<string>.Empty);

    public bool InBlock => !Blocks.IsEmpty;

    public string? CurrentBlock => Blocks.IsEmpty ? null : Blocks.Peek();

    /// <summary>The value a placeholder stands for here, or null when nothing supplies it.</summary>
    public static string? PlaceholderName(int value) => value switch
    {
        ChannelsPlaceholder => "Channels",
        StridePlaceholder => "Stride",
        HiddenPlaceholder => "Hidden",
        HeadsPlaceholder => "Heads",
        _ => null,
    };

    public int? Lookup(int placeholder) => placeholder switch
    {
        ChannelsPlaceholder => Channels,
        StridePlaceholder => Stride,
        HiddenPlaceholder => Hidden,
        HeadsPlaceholder => Heads,
        _ => null,
    };
}
