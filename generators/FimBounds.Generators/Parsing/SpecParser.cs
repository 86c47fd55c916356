using System.Collections.Generic;
using System.Linq;
using System.Threading;
using FimBounds.Core.Collections;
using FimBounds.Generators.Model;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace FimBounds.Generators.Parsing;

/// <summary>
/// The first transform: reads the attributes of a spec class, and of every block class it references, into a
/// <see cref="SpecDeclaration"/> of plain values. This is the only place that touches symbols and syntax.
/// </summary>
internal static class SpecParser
{
    public const string SpecNamespace = "FimBounds.Spec";
    public const string ArchitectureAttribute = SpecNamespace + ".ArchitectureAttribute";

    public static SpecDeclaration Parse(GeneratorAttributeSyntaxContext context, CancellationToken cancellation)
    {
        var symbol = (INamedTypeSymbol)context.TargetSymbol;
        var syntax = (ClassDeclarationSyntax)context.TargetNode;

        var target = new SpecTarget(
            symbol.ContainingNamespace.IsGlobalNamespace ? null : symbol.ContainingNamespace.ToDisplayString(),
            symbol.Name,
            IsPartial: syntax.Modifiers.Any(SyntaxKind.PartialKeyword),
            IsNested: symbol.ContainingType is not null,
            IsGeneric: symbol.IsGenericType,
            IsStatic: symbol.IsStatic,
            IsAbstract: symbol.IsAbstract,
            LocationInfo.From(syntax.Identifier.GetLocation()));

        AttributeData architecture = context.Attributes[0];
        var blocks = new Dictionary<string, BlockDeclaration>();
        EquatableList<LayerDeclaration> layers = ReadLayers(symbol, blocks, cancellation);

        return new SpecDeclaration(
            target,
            ReadArguments(architecture, cancellation),
            LocationOf(architecture, cancellation),
            layers,
            blocks.Values.OrderBy(b => b.FullName, System.StringComparer.Ordinal).ToEquatableList());
    }

    /// <summary>The spec-language attributes of a class in source order, collecting the blocks they reference.</summary>
    private static EquatableList<LayerDeclaration> ReadLayers(
        INamedTypeSymbol type, Dictionary<string, BlockDeclaration> blocks, CancellationToken cancellation)
    {
        var layers = new List<LayerDeclaration>();
        foreach (AttributeData attribute in type.GetAttributes())
        {
            cancellation.ThrowIfCancellationRequested();
            if (!IsSpecLanguage(attribute, out string kind) || kind is "Architecture" or "Block" or "ResidualBlock")
            {
                continue;
            }
            EquatableList<AttributeArg> args = ReadArguments(attribute, cancellation);
            layers.Add(new LayerDeclaration(kind, args, LocationOf(attribute, cancellation)));
            foreach (TypedConstant constant in attribute.ConstructorArguments)
            {
                if (constant.Kind == TypedConstantKind.Type && constant.Value is INamedTypeSymbol block)
                {
                    ReadBlock(block, blocks, cancellation);
                }
            }
        }
        return layers.ToEquatableList();
    }

    private static void ReadBlock(INamedTypeSymbol block, Dictionary<string, BlockDeclaration> blocks, CancellationToken cancellation)
    {
        string fullName = block.ToDisplayString(SymbolDisplayFormat.FullyQualifiedFormat);
        if (blocks.ContainsKey(fullName))
        {
            return;
        }
        // Reserve the entry first: a block that (wrongly) uses itself must not recurse forever.
        blocks[fullName] = new BlockDeclaration(fullName, block.Name, null, EquatableList<AttributeArg>.Empty, EquatableList<LayerDeclaration>.Empty, null);

        string? header = null;
        EquatableList<AttributeArg> headerArgs = EquatableList<AttributeArg>.Empty;
        foreach (AttributeData attribute in block.GetAttributes())
        {
            if (IsSpecLanguage(attribute, out string kind) && kind is "Block" or "ResidualBlock")
            {
                header = kind;
                headerArgs = ReadArguments(attribute, cancellation);
            }
        }
        EquatableList<LayerDeclaration> layers = ReadLayers(block, blocks, cancellation);
        Location? location = block.Locations.FirstOrDefault();
        blocks[fullName] = new BlockDeclaration(fullName, block.Name, header, headerArgs, layers, LocationInfo.From(location));
    }

    private static bool IsSpecLanguage(AttributeData attribute, out string kind)
    {
        kind = "";
        INamedTypeSymbol? type = attribute.AttributeClass;
        if (type is null || type.ContainingNamespace?.ToDisplayString() != SpecNamespace)
        {
            return false;
        }
        kind = type.Name.EndsWith("Attribute", System.StringComparison.Ordinal)
            ? type.Name.Substring(0, type.Name.Length - "Attribute".Length)
            : type.Name;
        return true;
    }

    /// <summary>Constructor and named arguments by lower-case name, each with the location of its syntax.</summary>
    private static EquatableList<AttributeArg> ReadArguments(AttributeData attribute, CancellationToken cancellation)
    {
        var syntax = attribute.ApplicationSyntaxReference?.GetSyntax(cancellation) as AttributeSyntax;
        SeparatedSyntaxList<AttributeArgumentSyntax> written = syntax?.ArgumentList?.Arguments ?? default;
        var args = new List<AttributeArg>();

        IMethodSymbol? constructor = attribute.AttributeConstructor;
        for (int i = 0; i < attribute.ConstructorArguments.Length && constructor is not null && i < constructor.Parameters.Length; i++)
        {
            string name = constructor.Parameters[i].Name;
            AttributeArgumentSyntax? argument =
                written.FirstOrDefault(a => a.NameColon?.Name.Identifier.ValueText == name)
                ?? written.Where(a => a.NameEquals is null && a.NameColon is null).ElementAtOrDefault(i);
            if (Read(attribute.ConstructorArguments[i]) is { } value)
            {
                args.Add(new AttributeArg(name.ToLowerInvariant(), value, LocationInfo.From(argument ?? (SyntaxNode?)syntax)));
            }
        }
        foreach (KeyValuePair<string, TypedConstant> named in attribute.NamedArguments)
        {
            AttributeArgumentSyntax? argument = written.FirstOrDefault(a => a.NameEquals?.Name.Identifier.ValueText == named.Key);
            if (Read(named.Value) is { } value)
            {
                args.Add(new AttributeArg(named.Key.ToLowerInvariant(), value, LocationInfo.From(argument ?? (SyntaxNode?)syntax)));
            }
        }
        return args.ToEquatableList();
    }

    private static LocationInfo? LocationOf(AttributeData attribute, CancellationToken cancellation) =>
        LocationInfo.From(attribute.ApplicationSyntaxReference?.GetSyntax(cancellation));

    private static ArgValue? Read(TypedConstant constant)
    {
        switch (constant.Kind)
        {
            case TypedConstantKind.Array:
                return constant.IsNull
                    ? new ArrayValue(EquatableList<ArgValue>.Empty)
                    : new ArrayValue(constant.Values.Select(Read).Where(v => v is not null).Select(v => v!).ToEquatableList());
            case TypedConstantKind.Type:
                return constant.Value is ITypeSymbol type
                    ? new TypeValue(type.ToDisplayString(SymbolDisplayFormat.FullyQualifiedFormat), type.Name)
                    : null;
            case TypedConstantKind.Enum:
                var enumType = constant.Type as INamedTypeSymbol;
                string? member = enumType?.GetMembers().OfType<IFieldSymbol>()
                    .FirstOrDefault(f => f.HasConstantValue && Equals(f.ConstantValue, constant.Value))?.Name;
                return new EnumValue(member ?? System.Convert.ToString(constant.Value, System.Globalization.CultureInfo.InvariantCulture) ?? "");
            case TypedConstantKind.Primitive:
                return constant.Value switch
                {
                    int i => new IntValue(i),
                    double d => new DoubleValue(d),
                    float f => new DoubleValue(f),
                    bool b => new BoolValue(b),
                    string s => new StringValue(s),
                    null => new StringValue(null),
                    _ => null,
                };
            default:
                return null;
        }
    }
}
