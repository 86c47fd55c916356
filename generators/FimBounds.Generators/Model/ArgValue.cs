using FimBounds.Core.Collections;

namespace FimBounds.Generators.Model;

/// <summary>The value of one attribute argument, read from the compilation into plain, equatable data.</summary>
internal abstract record ArgValue;

internal sealed record IntValue(int Value) : ArgValue;

internal sealed record DoubleValue(double Value) : ArgValue;

internal sealed record BoolValue(bool Value) : ArgValue;

internal sealed record StringValue(string? Value) : ArgValue;

/// <summary>An enum argument by member name ("Vgg", "ReLU").</summary>
internal sealed record EnumValue(string Member) : ArgValue;

/// <summary>A <c>typeof(Block)</c> argument: the block's fully qualified metadata name.</summary>
internal sealed record TypeValue(string FullName, string DisplayName) : ArgValue;

internal sealed record ArrayValue(EquatableList<ArgValue> Items) : ArgValue;

/// <summary>One argument: its name (constructor parameter or property, lower-case), value and location.</summary>
internal sealed record AttributeArg(string Name, ArgValue Value, LocationInfo? Location);
