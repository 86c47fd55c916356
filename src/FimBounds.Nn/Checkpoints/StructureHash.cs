using System.Collections;
using System.Globalization;
using System.Reflection;
using System.Security.Cryptography;
using System.Text;
using FimBounds.Core.Architecture;

namespace FimBounds.Nn.Checkpoints;

/// <summary>
/// A fingerprint of an architecture: SHA-256 of the description's canonical text. Two descriptions get
/// the same hash exactly when they are equal records, so a checkpoint remembers which structure its
/// weights belong to, and loading it into another spec — or into a spec whose layers changed since
/// training — is detected before any tensor is touched.
/// </summary>
public static class StructureHash
{
    /// <summary>"sha256:" followed by 64 lower-case hex digits.</summary>
    public static string Of(ArchitectureDescription description)
    {
        byte[] digest = SHA256.HashData(Encoding.UTF8.GetBytes(CanonicalText(description)));
        return "sha256:" + Convert.ToHexStringLower(digest);
    }

    /// <summary>
    /// One line per record, written from each record's positional (primary-constructor) members in
    /// declaration order: the data that defines the record, never derived members such as Children.
    /// Numbers use the invariant culture and round-trip formatting.
    /// </summary>
    public static string CanonicalText(ArchitectureDescription description)
    {
        var text = new StringBuilder();
        Write(text, description, 0);
        return text.ToString();
    }

    private static void Write(StringBuilder text, object? value, int depth)
    {
        switch (value)
        {
            case null:
                text.Append("null");
                break;
            case string s:
                text.Append('"').Append(s.Replace("\\", "\\\\").Replace("\"", "\\\"")).Append('"');
                break;
            case bool b:
                text.Append(b ? "true" : "false");
                break;
            case double d:
                text.Append(d.ToString("R", CultureInfo.InvariantCulture));
                break;
            case float f:
                text.Append(f.ToString("R", CultureInfo.InvariantCulture));
                break;
            case Enum e:
                text.Append(e.ToString());
                break;
            case IFormattable number when value.GetType().IsPrimitive:
                text.Append(number.ToString(null, CultureInfo.InvariantCulture));
                break;
            case Shape shape:
                text.Append('(').Append(string.Join("x", shape.Dims.Select(d => d.ToString(CultureInfo.InvariantCulture)))).Append(')');
                break;
            case IEnumerable items:
                text.Append('[');
                bool first = true;
                foreach (object? item in items)
                {
                    text.Append(first ? "" : ",");
                    first = false;
                    if (item is Layer or ArchitectureDescription)
                    {
                        text.Append('\n').Append(' ', 2 * (depth + 1));
                    }
                    Write(text, item, depth + 1);
                }
                text.Append(']');
                break;
            default:
                WriteRecord(text, value, depth);
                break;
        }
    }

    private static void WriteRecord(StringBuilder text, object record, int depth)
    {
        Type type = record.GetType();
        ConstructorInfo constructor = type.GetConstructors(BindingFlags.Public | BindingFlags.Instance)
            .Where(c => !(c.GetParameters().Length == 1 && c.GetParameters()[0].ParameterType == type))
            .OrderByDescending(c => c.GetParameters().Length)
            .FirstOrDefault()
            ?? throw new InvalidOperationException($"{type.Name} has no public constructor to define its canonical form");
        text.Append(type.Name).Append('(');
        ParameterInfo[] parameters = constructor.GetParameters();
        for (int i = 0; i < parameters.Length; i++)
        {
            string name = parameters[i].Name!;
            PropertyInfo property = type.GetProperty(name, BindingFlags.Public | BindingFlags.Instance)
                ?? throw new InvalidOperationException($"{type.Name}.{name} is a constructor parameter without a property");
            text.Append(i == 0 ? "" : ", ").Append(name).Append('=');
            Write(text, property.GetValue(record), depth);
        }
        text.Append(')');
    }
}
