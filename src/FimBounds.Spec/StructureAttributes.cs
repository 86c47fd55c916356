using System;

namespace FimBounds.Spec;

/// <summary>
/// Opens a named top-level container ("features", "classifier", "encoder"); the layers that follow belong
/// to it, numbered by position unless named, until the next <see cref="StageAttribute"/> or
/// <see cref="EndStageAttribute"/>.
/// </summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = true, Inherited = false)]
public sealed class StageAttribute : Attribute
{
    public StageAttribute(string name) => Name = name;

    public string Name { get; }
}

/// <summary>Closes the current stage: the layers that follow are top-level again.</summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = true, Inherited = false)]
public sealed class EndStageAttribute : Attribute
{
}

/// <summary>Marks a class as a reusable block: its layer attributes, in order, are the block's body.</summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = false, Inherited = false)]
public sealed class BlockAttribute : Attribute
{
}

/// <summary>How a residual block's shortcut is formed.</summary>
public enum Shortcut
{
    /// <summary>Identity when the body keeps the shape, else a 1×1 convolution + BatchNorm projection.</summary>
    Auto,

    /// <summary>Always the identity (the body must keep the shape).</summary>
    Identity,

    /// <summary>Always the 1×1 convolution + BatchNorm projection.</summary>
    Projection,
}

/// <summary>
/// Marks a class as a residual block y = After(body(x) + shortcut(x)). Its layer attributes are the body.
/// The projection shortcut is registered as <see cref="ShortcutName"/> with children 0 (conv) and 1
/// (BatchNorm), as torchvision's ResNet "downsample".
/// </summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = false, Inherited = false)]
public sealed class ResidualBlockAttribute : Attribute
{
    public Shortcut Shortcut { get; set; } = Shortcut.Auto;

    public string ShortcutName { get; set; } = "downsample";

    public Nonlinearity After { get; set; } = Nonlinearity.None;

    /// <summary>The name of the non-linearity after the sum; it may share a name with an activation of the body.</summary>
    public string AfterName { get; set; } = "relu";
}

/// <summary>
/// Placeholders for block parameters: write <c>[Conv2d(BlockParam.Channels, 3, Stride = BlockParam.Stride)]</c>
/// inside a block and give the values where the block is used (<see cref="UseAttribute"/>,
/// <see cref="RepeatAttribute"/>, <see cref="DenseBlockAttribute"/>).
/// </summary>
public static class BlockParam
{
    public const int Channels = -1001;
    public const int Stride = -1002;
    public const int Hidden = -1003;
    public const int Heads = -1004;
}

/// <summary>Common parameters of the attributes that instantiate a block. 0 means "inherit from the enclosing block".</summary>
public abstract class BlockUsageAttribute : LayerAttribute
{
    protected BlockUsageAttribute(Type block) => Block = block;

    /// <summary>The block class (marked <see cref="BlockAttribute"/> or <see cref="ResidualBlockAttribute"/>).</summary>
    public Type Block { get; }

    public int Channels { get; set; }

    /// <summary>The stride of the first instance; later repetitions use stride 1 (as ResNet stages do).</summary>
    public int Stride { get; set; }

    public int Hidden { get; set; }

    public int Heads { get; set; }
}

/// <summary>One instance of a block. Without a name its layers join the enclosing container.</summary>
public sealed class UseAttribute : BlockUsageAttribute
{
    public UseAttribute(Type block) : base(block) { }
}

/// <summary>
/// <see cref="Count"/> instances of a block in a row, inside a container named <see cref="LayerAttribute.Name"/>
/// (or directly in the enclosing container when unnamed); instance i is named
/// <c>string.Format(ItemName, FirstIndex + i)</c>.
/// </summary>
public sealed class RepeatAttribute : BlockUsageAttribute
{
    public RepeatAttribute(Type block, int count) : base(block) => Count = count;

    public int Count { get; }

    public string ItemName { get; set; } = "{0}";

    public int FirstIndex { get; set; }
}

/// <summary>
/// A DenseNet block of <see cref="Count"/> dense layers, each mapping x ↦ [x, h(x)] with h the given block;
/// <see cref="BlockUsageAttribute.Channels"/> is the growth rate. Layers are named "denselayer1", … as in torchvision.
/// </summary>
public sealed class DenseBlockAttribute : BlockUsageAttribute
{
    public DenseBlockAttribute(Type layer, int count) : base(layer) => Count = count;

    public int Count { get; }

    public string ItemName { get; set; } = "denselayer{0}";

    public int FirstIndex { get; set; } = 1;
}
