namespace FimBounds.Generators;

/// <summary>Names of the pipeline steps, so tests can assert each one is cached after an unrelated edit.</summary>
internal static class TrackingNames
{
    public const string Declarations = nameof(Declarations);
    public const string Built = nameof(Built);
    public const string Specs = nameof(Specs);
    public const string Bounded = nameof(Bounded);
    public const string CatalogEntries = nameof(CatalogEntries);
    public const string RootNamespace = nameof(RootNamespace);
    public const string Catalog = nameof(Catalog);
}
