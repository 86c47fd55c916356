using System.Collections.Generic;
using System.Linq;
using FimBounds.Generators.Diagnostics;
using FimBounds.Generators.Model;

namespace FimBounds.Generators.Building;

/// <summary>
/// Typed access to one declaration's arguments: defaults, block-parameter placeholders resolved against the
/// context, and a diagnostic at the exact argument when a value is out of range.
/// </summary>
internal sealed class DeclarationArgs
{
    private readonly LayerDeclaration _declaration;
    private readonly BlockContext _context;

    public DeclarationArgs(LayerDeclaration declaration, BlockContext context, string subject)
    {
        _declaration = declaration;
        _context = context;
        Subject = subject;
    }

    /// <summary>How diagnostics name the layer: "Conv2d 'features.3'".</summary>
    public string Subject { get; set; }

    public string Kind => _declaration.Kind;

    public LocationInfo? Location => _declaration.Location;

    public bool Has(string name) => Find(name) is not null;

    public LocationInfo? LocationOf(string name) => Find(name)?.Location ?? _declaration.Location;

    public string? String(string name) => Find(name)?.Value is StringValue s ? s.Value : null;

    public bool Bool(string name, bool fallback) => Find(name)?.Value is BoolValue b ? b.Value : fallback;

    public double Double(string name, double fallback) => Find(name)?.Value switch
    {
        DoubleValue d => d.Value,
        IntValue i => i.Value,
        _ => fallback,
    };

    public string Enum(string name, string fallback) => Find(name)?.Value is EnumValue e ? e.Member : fallback;

    public TypeValue? Type(string name) => Find(name)?.Value as TypeValue;

    public IReadOnlyList<double> Doubles(string name) =>
        Find(name)?.Value is ArrayValue array
            ? array.Items.Select(v => v is DoubleValue d ? d.Value : v is IntValue i ? i.Value : double.NaN).ToList()
            : new List<double>();

    public IReadOnlyList<int> Ints(string name) =>
        Find(name)?.Value is ArrayValue array
            ? array.Items.Select(v => v is IntValue i ? i.Value : 0).ToList()
            : new List<int>();

    /// <summary>An integer argument; a <c>BlockParam</c> placeholder is replaced by the value the enclosing block usage gives.</summary>
    public int Int(string name, int fallback)
    {
        AttributeArg? arg = Find(name);
        if (arg?.Value is not IntValue i)
        {
            return fallback;
        }
        if (BlockContext.PlaceholderName(i.Value) is { } placeholder)
        {
            return _context.Lookup(i.Value) ?? throw Invalid(name,
                _context.InBlock
                    ? $"'{name}' is BlockParam.{placeholder}, but the attribute that uses block '{_context.CurrentBlock}' gives no {placeholder}; add '{placeholder} = …' there"
                    : $"'{name}' is BlockParam.{placeholder}, which only has a value inside a block; write a number here");
        }
        return i.Value;
    }

    /// <summary>An integer that must be at least <paramref name="minimum"/>.</summary>
    public int Int(string name, int fallback, int minimum)
    {
        int value = Int(name, fallback);
        if (value < minimum)
        {
            throw Invalid(name, $"'{name}' is {value} but must be at least {minimum}");
        }
        return value;
    }

    public SpecError Invalid(string argument, string message) =>
        new(DiagnosticInfo.Create(DiagnosticDescriptors.InvalidParameter, LocationOf(argument), Subject, message));

    public SpecError ShapeMismatch(string message) =>
        new(DiagnosticInfo.Create(DiagnosticDescriptors.ShapeMismatch, Location, Subject, message));

    public SpecError Unsupported(string message) =>
        new(DiagnosticInfo.Create(DiagnosticDescriptors.Unsupported, Location, Subject, message));

    private AttributeArg? Find(string name)
    {
        foreach (AttributeArg arg in _declaration.Args)
        {
            if (arg.Name == name)
            {
                return arg;
            }
        }
        return null;
    }
}
