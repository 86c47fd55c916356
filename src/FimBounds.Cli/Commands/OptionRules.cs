using System.CommandLine;
using System.Globalization;

namespace FimBounds.Cli.Commands;

/// <summary>
/// Rules on option values that the parser checks: a broken rule is a parse error, so the user gets exit 2 and
/// one line naming the option and what it accepts, before any work starts. Each rule returns its option, so an
/// option's field declares its rule where it is declared (and adds it once: the fields are static).
/// </summary>
/// <remarks>
/// The rules read the token the user typed, not the converted value: System.CommandLine runs option validators
/// before it converts, and a token that does not convert at all is left to its own "cannot parse" error.
/// Defaults have no token and are valid by construction.
/// </remarks>
internal static class OptionRules
{
    /// <summary>
    /// The value must be one of <paramref name="choices"/> (listed in help as completions). System.CommandLine's
    /// own AcceptOnlyFromAmong reports a bad value over several lines without naming the option.
    /// </summary>
    public static Option<string> OneOf(this Option<string> option, params string[] choices) =>
        option.OneOf(StringComparer.Ordinal, choices);

    public static Option<string> OneOf(this Option<string> option, StringComparer comparer, IReadOnlyList<string> choices)
    {
        option.CompletionSources.Add([.. choices]);
        return option.Rule(token => choices.Contains(token, comparer), $"must be one of {string.Join(", ", choices)}", quoted: true);
    }

    /// <summary>A count (int, long or an optional one) that must be at least 1; <paramref name="noun"/> names what it counts.</summary>
    public static Option<T> Positive<T>(this Option<T> option, string noun = "integer") =>
        option.Rule(token => !long.TryParse(token, NumberStyles.Integer, CultureInfo.InvariantCulture, out long value) || value >= 1,
            $"must be a positive {noun}");

    /// <summary>A count that may be 0 (0 usually skips a stage); <paramref name="noun"/> names what it counts.</summary>
    public static Option<T> NonNegative<T>(this Option<T> option, string noun = "integer") =>
        option.Rule(token => !long.TryParse(token, NumberStyles.Integer, CultureInfo.InvariantCulture, out long value) || value >= 0,
            $"must be a non-negative {noun}");

    /// <summary>A real number that must be finite and above 0 (or at least 0 with <paramref name="zeroAllowed"/>); <paramref name="example"/> says in what units.</summary>
    public static Option<T> PositiveReal<T>(this Option<T> option, string example, bool zeroAllowed = false) =>
        option.Rule(token => !double.TryParse(token, NumberStyles.Float, CultureInfo.InvariantCulture, out double value) ||
                             (double.IsFinite(value) && (value > 0 || (zeroAllowed && value == 0))),
            $"must be a {(zeroAllowed ? "non-negative" : "positive")} number ({example})");

    private static Option<T> Rule<T>(this Option<T> option, Func<string, bool> accepts, string requirement, bool quoted = false)
    {
        option.Validators.Add(result =>
        {
            if (result.Tokens.Count > 0 && result.Tokens[^1].Value is var token && !accepts(token))
            {
                result.AddError($"{option.Name} {requirement}; got {(quoted ? $"'{token}'" : token)}");
            }
        });
        return option;
    }
}
