using System.Collections.Generic;

namespace FimBounds.Generators.Emit;

/// <summary>
/// A piece of a nested C# expression: one line, or a head line, comma-separated children one level deeper,
/// and a tail line. Lets the emitters build trees of constructor calls that print readably.
/// </summary>
internal sealed class Fragment
{
    private Fragment(string head, IReadOnlyList<Fragment>? children, string tail)
    {
        Head = head;
        Children = children;
        Tail = tail;
    }

    public string Head { get; }

    public IReadOnlyList<Fragment>? Children { get; }

    public string Tail { get; }

    public static Fragment Line(string text) => new(text, null, "");

    public static Fragment Nested(string head, IReadOnlyList<Fragment> children, string tail) => new(head, children, tail);

    public void WriteTo(CodeWriter writer, string suffix)
    {
        if (Children is null)
        {
            writer.Line(Head + suffix);
            return;
        }
        writer.Line(Head).Indent();
        for (int i = 0; i < Children.Count; i++)
        {
            Children[i].WriteTo(writer, i < Children.Count - 1 ? "," : "");
        }
        writer.Outdent().Line(Tail + suffix);
    }
}
