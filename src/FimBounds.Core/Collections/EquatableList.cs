using System;
using System.Collections;
using System.Collections.Generic;
using System.Linq;

namespace FimBounds.Core.Collections;

/// <summary>
/// An immutable list with structural equality. Records holding one compare by content, which the
/// incremental generator's caching and the canonical forms of the algebra both depend on.
/// </summary>
public readonly struct EquatableList<T> : IEquatable<EquatableList<T>>, IReadOnlyList<T>
{
    private readonly T[]? _items;

    public EquatableList(IEnumerable<T> items) => _items = items.ToArray();

    public static EquatableList<T> Empty => new(Array.Empty<T>());

    public int Count => _items?.Length ?? 0;

    public T this[int index] => (_items ?? Array.Empty<T>())[index];

    public bool Equals(EquatableList<T> other) =>
        (_items ?? Array.Empty<T>()).SequenceEqual(other._items ?? Array.Empty<T>());

    public override bool Equals(object? obj) => obj is EquatableList<T> other && Equals(other);

    public override int GetHashCode()
    {
        unchecked
        {
            int hash = 17;
            foreach (T item in _items ?? Array.Empty<T>())
            {
                hash = hash * 31 + (item is null ? 0 : EqualityComparer<T>.Default.GetHashCode(item));
            }
            return hash;
        }
    }

    public IEnumerator<T> GetEnumerator() => ((IEnumerable<T>)(_items ?? Array.Empty<T>())).GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    public static bool operator ==(EquatableList<T> left, EquatableList<T> right) => left.Equals(right);

    public static bool operator !=(EquatableList<T> left, EquatableList<T> right) => !left.Equals(right);

    public override string ToString() => "[" + string.Join(", ", this) + "]";
}

public static class EquatableList
{
    public static EquatableList<T> Of<T>(params T[] items) => new(items);

    public static EquatableList<T> ToEquatableList<T>(this IEnumerable<T> items) => new(items);
}
