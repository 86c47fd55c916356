using FimBounds.Core.Errors;

namespace FimBounds.Nn.Specs;

/// <summary>
/// The specs a command can name: those of the user's assembly (--specs PATH), then the built-in zoo.
/// Listing shows the user's specs when an assembly is given (they are what the user asked about), the zoo
/// otherwise; an unknown name lists what each source holds.
/// </summary>
public sealed class SpecCatalog
{
    private readonly IReadOnlyList<IModelSpec> _zoo;
    private readonly IReadOnlyList<IModelSpec> _user;
    private readonly string? _userPath;

    public SpecCatalog(IReadOnlyList<IModelSpec> zoo, string? userAssembly)
    {
        _zoo = zoo;
        _userPath = userAssembly;
        _user = userAssembly is null ? [] : SpecAssembly.Load(userAssembly);
    }

    /// <summary>The specs to list: the user's assembly's when one is given, else the zoo.</summary>
    public IReadOnlyList<IModelSpec> Listed => _userPath is null ? _zoo : _user;

    /// <summary>The spec of that name, or null.</summary>
    public IModelSpec? TryFind(string name) => _user.FirstOrDefault(s => s.Name == name) ?? _zoo.FirstOrDefault(s => s.Name == name);

    public IModelSpec Find(string name) =>
        TryFind(name)
        ?? throw new UsageException(
            $"unknown spec '{name}'; " +
            (_userPath is null ? "" : $"{_userPath} holds: {string.Join(", ", _user.Select(s => s.Name))}; ") +
            $"the zoo: {string.Join(", ", _zoo.Select(s => s.Name))}.");
}
