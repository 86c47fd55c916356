namespace FimBounds.Reports.Tables;

public enum Align
{
    Left,
    Right,
}

public sealed record TableColumn(string Header, Align Align = Align.Left);

/// <summary>
/// A table's content, already formatted as text. Markdown, HTML and the console render the same
/// tables, so the three outputs can never disagree about a number.
/// </summary>
public sealed record Table(string Title, IReadOnlyList<TableColumn> Columns, IReadOnlyList<IReadOnlyList<string>> Rows)
{
    public Table Validate()
    {
        foreach (var row in Rows)
        {
            if (row.Count != Columns.Count)
            {
                throw new InvalidOperationException($"Table '{Title}': a row has {row.Count} cells for {Columns.Count} columns.");
            }
        }
        return this;
    }
}
