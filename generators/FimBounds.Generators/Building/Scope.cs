using System.Collections.Generic;
using System.Globalization;
using FimBounds.Generators.Diagnostics;
using FimBounds.Generators.Model;

namespace FimBounds.Generators.Building;

/// <summary>
/// One naming scope = one TorchSharp container module: its path (the state_dict prefix), the names taken
/// so far, and how unnamed layers are named (by position, like nn.Sequential, or after their kind).
/// </summary>
internal sealed class Scope
{
    private readonly HashSet<string> _names = new();
    private int _position;

    public Scope(string path, bool numbered)
    {
        Path = path;
        Numbered = numbered;
    }

    public string Path { get; }

    public bool Numbered { get; }

    public string Describe => Path.Length == 0 ? "the spec's top level" : Path;

    public string PathOf(string name) => Path.Length == 0 ? name : Path + "." + name;

    public bool Contains(string name) => _names.Contains(name);

    /// <summary>Takes the next name: the explicit one, else the position (numbered scopes) or the default.</summary>
    public string Claim(string? explicitName, string defaultName, LocationInfo? location)
    {
        string name = explicitName ?? (Numbered ? _position.ToString(CultureInfo.InvariantCulture) : defaultName);
        _position++;
        if (!_names.Add(name))
        {
            throw new SpecError(DiagnosticInfo.Create(DiagnosticDescriptors.DuplicateLayerName, location, name, Describe));
        }
        return PathOf(name);
    }
}
