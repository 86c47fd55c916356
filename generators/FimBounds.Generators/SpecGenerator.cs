using System.Collections.Generic;
using System.Linq;
using FimBounds.Core.Collections;
using FimBounds.Generators.Building;
using FimBounds.Generators.Diagnostics;
using FimBounds.Generators.Emit;
using FimBounds.Generators.Model;
using FimBounds.Generators.Parsing;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace FimBounds.Generators;

/// <summary>
/// Architecture specs → TorchSharp model, architecture description, symbolic FIM bound, and a catalog.
/// The pipeline, step by step:
/// <list type="number">
/// <item>[Architecture] classes → <see cref="SpecDeclaration"/> (the only step that sees symbols);</item>
/// <item>→ <see cref="BuildResult"/>: shapes, names, diagnostics (pure);</item>
/// <item>→ <see cref="BoundedSpec"/>: the bound from the shared rules (pure) → one source file per spec;</item>
/// <item>all specs' names → the assembly's <c>ZooCatalog</c>.</item>
/// </list>
/// </summary>
[Generator(LanguageNames.CSharp)]
public sealed class SpecGenerator : IIncrementalGenerator
{
    public void Initialize(IncrementalGeneratorInitializationContext context)
    {
        IncrementalValuesProvider<BuildResult> built = context.SyntaxProvider
            .ForAttributeWithMetadataName(
                SpecParser.ArchitectureAttribute,
                predicate: static (node, _) => node is ClassDeclarationSyntax,
                transform: static (ctx, ct) => SpecParser.Parse(ctx, ct))
            .WithTrackingName(TrackingNames.Declarations)
            .Select(static (declaration, _) => ArchitectureBuilder.Build(declaration))
            .WithTrackingName(TrackingNames.Built);

        // Diagnostics are reported raw, apart from the sources, so their caching does not hold sources back.
        context.RegisterSourceOutput(built.Select(static (r, _) => r.Diagnostics), static (spc, diagnostics) =>
        {
            foreach (DiagnosticInfo diagnostic in diagnostics)
            {
                spc.ReportDiagnostic(diagnostic.ToDiagnostic());
            }
        });

        IncrementalValuesProvider<SpecModel> specs = built
            .Where(static r => r.Model is not null)
            .Select(static (r, _) => r.Model!)
            .WithTrackingName(TrackingNames.Specs);

        IncrementalValuesProvider<BoundedSpec> bounded = specs
            .Select(static (spec, _) => BoundRendering.Render(spec))
            .WithTrackingName(TrackingNames.Bounded);

        context.RegisterSourceOutput(bounded, static (spc, spec) =>
        {
            if (spec.Failure is not null)
            {
                spc.ReportDiagnostic(spec.Failure.ToDiagnostic());
                return;
            }
            (string hint, string source) = SpecEmitter.Emit(spec);
            spc.AddSource(hint, source);
        });

        IncrementalValueProvider<EquatableList<CatalogEntry>> entries = specs
            .Select(static (spec, _) => new CatalogEntry(
                spec.Description.Name,
                "global::" + (spec.Target.Namespace is { } ns ? ns + "." : "") + spec.Target.ClassName,
                spec.NameLocation))
            .Collect()
            .Select(static (all, _) => all.ToEquatableList())
            .WithTrackingName(TrackingNames.CatalogEntries);

        IncrementalValueProvider<string?> rootNamespace = context.AnalyzerConfigOptionsProvider
            .Select(static (options, _) =>
                options.GlobalOptions.TryGetValue("build_property.RootNamespace", out string? value) && !string.IsNullOrWhiteSpace(value) ? value : null)
            .Combine(context.CompilationProvider.Select(static (compilation, _) => compilation.AssemblyName))
            .Select(static (pair, _) => pair.Left ?? pair.Right)
            .WithTrackingName(TrackingNames.RootNamespace);

        context.RegisterSourceOutput(entries.Combine(rootNamespace).WithTrackingName(TrackingNames.Catalog), static (spc, input) =>
        {
            (EquatableList<CatalogEntry> all, string? root) = input;
            if (all.Count == 0)
            {
                return;
            }
            foreach (DiagnosticInfo duplicate in Duplicates(all))
            {
                spc.ReportDiagnostic(duplicate.ToDiagnostic());
            }
            (string hint, string source) = CatalogEmitter.Emit(root, all);
            spc.AddSource(hint, source);
        });
    }

    private static IEnumerable<DiagnosticInfo> Duplicates(EquatableList<CatalogEntry> all) =>
        all.GroupBy(e => e.Name)
            .Where(g => g.Count() > 1)
            .SelectMany(g => g.Skip(1).Select(e => DiagnosticInfo.Create(
                DiagnosticDescriptors.DuplicateSpecName, e.Location, e.Name, g.First().FullyQualifiedClass.Replace("global::", ""), e.FullyQualifiedClass.Replace("global::", ""))));
}
