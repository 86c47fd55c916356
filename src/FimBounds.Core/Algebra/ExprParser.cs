using System.Collections.Generic;
using System.Globalization;
using FimBounds.Core.Bounds;

namespace FimBounds.Core.Algebra;

/// <summary>
/// Reads the text form that <see cref="Expr.ToText"/> prints (and hand-written variants of it):
/// <c>expr := term (('+'|'-') term)*; term := unary (('*'|'/') unary)*; unary := '-' unary | power;
/// power := atom ('^' unary)?; atom := number | symbol | fn '(' expr (',' expr)* ')' | '(' expr ')'</c>.
/// '^' is right-associative and binds tighter than unary minus (-x^2 = -(x^2)).
/// </summary>
public static class ExprParser
{
    /// <summary>Parses <paramref name="text"/>; symbols following <see cref="SymbolNames"/> recover their meaning from the name.</summary>
    public static Expr Parse(string text) => Parse(text, null);

    /// <summary>Parses and attaches <paramref name="meanings"/> to symbols by name (they win over the naming convention).</summary>
    public static Expr Parse(string text, IReadOnlyDictionary<string, SymbolMeaning>? meanings)
    {
        var parser = new Parser(text ?? "", meanings);
        Expr result = parser.ParseExpression();
        parser.SkipSpaces();
        if (!parser.AtEnd)
        {
            throw parser.Error("unexpected '" + parser.Current + "'");
        }
        return result;
    }

    private sealed class Parser
    {
        private readonly string _text;
        private readonly IReadOnlyDictionary<string, SymbolMeaning>? _meanings;
        private int _pos;

        public Parser(string text, IReadOnlyDictionary<string, SymbolMeaning>? meanings)
        {
            _text = text;
            _meanings = meanings;
        }

        public bool AtEnd => _pos >= _text.Length;

        public char Current => _text[_pos];

        public ExpressionSyntaxException Error(string problem) => new(_text, _pos, problem);

        public void SkipSpaces()
        {
            while (!AtEnd && char.IsWhiteSpace(Current))
            {
                _pos++;
            }
        }

        private bool Accept(char c)
        {
            SkipSpaces();
            if (!AtEnd && Current == c)
            {
                _pos++;
                return true;
            }
            return false;
        }

        private void Expect(char c)
        {
            if (!Accept(c))
            {
                throw Error(AtEnd ? $"expected '{c}' but the text ended" : $"expected '{c}' but found '{Current}'");
            }
        }

        public Expr ParseExpression()
        {
            var terms = new List<Expr> { ParseTerm() };
            while (true)
            {
                if (Accept('+'))
                {
                    terms.Add(ParseTerm());
                }
                else if (Accept('-'))
                {
                    terms.Add(Expr.Neg(ParseTerm()));
                }
                else
                {
                    return terms.Count == 1 ? terms[0] : Expr.Add(terms);
                }
            }
        }

        private Expr ParseTerm()
        {
            Expr result = ParseUnary();
            while (true)
            {
                if (Accept('*') || Accept('·'))
                {
                    result = Expr.Mul(result, ParseUnary());
                }
                else if (Accept('/'))
                {
                    int at = _pos;
                    Expr divisor = ParseUnary();
                    if (divisor is NumberExpr n && n.Value.IsZero)
                    {
                        throw new ExpressionSyntaxException(_text, at, "division by zero");
                    }
                    result = Expr.Div(result, divisor);
                }
                else
                {
                    return result;
                }
            }
        }

        private Expr ParseUnary()
        {
            if (Accept('-'))
            {
                return Expr.Neg(ParseUnary());
            }
            if (Accept('+'))
            {
                return ParseUnary();
            }
            return ParsePower();
        }

        private Expr ParsePower()
        {
            Expr @base = ParseAtom();
            if (Accept('^'))
            {
                return Expr.Pow(@base, ParseUnary());
            }
            return @base;
        }

        private Expr ParseAtom()
        {
            SkipSpaces();
            if (AtEnd)
            {
                throw Error("expected a number, a symbol or '(' but the text ended");
            }
            char c = Current;
            if (c == '(')
            {
                _pos++;
                Expr inner = ParseExpression();
                Expect(')');
                return inner;
            }
            if (char.IsDigit(c) || c == '.')
            {
                return ParseNumber();
            }
            if (SymbolNames.IsNameStart(c))
            {
                int start = _pos;
                string name = ReadName();
                SkipSpaces();
                if (!AtEnd && Current == '(')
                {
                    return ParseCall(name, start);
                }
                SymbolMeaning? meaning = null;
                _meanings?.TryGetValue(name, out meaning);
                return Expr.Sym(name, meaning);
            }
            throw Error("unexpected '" + c + "'");
        }

        private string ReadName()
        {
            int start = _pos;
            while (!AtEnd && SymbolNames.IsNameChar(Current))
            {
                _pos++;
            }
            // An optional head index: name[3].
            if (!AtEnd && Current == '[')
            {
                int open = _pos;
                _pos++;
                int digits = _pos;
                while (!AtEnd && char.IsDigit(Current))
                {
                    _pos++;
                }
                if (_pos == digits || AtEnd || Current != ']')
                {
                    _pos = open;
                    throw Error("a symbol's head index must be digits in brackets, like [0]");
                }
                _pos++;
            }
            return _text.Substring(start, _pos - start);
        }

        private Expr ParseCall(string name, int start)
        {
            Expect('(');
            var args = new List<Expr> { ParseExpression() };
            while (Accept(','))
            {
                args.Add(ParseExpression());
            }
            Expect(')');
            switch (name)
            {
                case "sqrt" when args.Count == 1:
                    return Expr.Sqrt(args[0]);
                case "abs" when args.Count == 1:
                    return Expr.Abs(args[0]);
                case "max":
                    return Expr.Max(args);
                case "min":
                    return Expr.Min(args);
                default:
                    throw new ExpressionSyntaxException(_text, start, $"unknown function '{name}' with {args.Count} argument(s) (known: sqrt(x), abs(x), max(...), min(...))");
            }
        }

        private Expr ParseNumber()
        {
            int start = _pos;
            while (!AtEnd && char.IsDigit(Current))
            {
                _pos++;
            }
            if (!AtEnd && Current == '.')
            {
                _pos++;
                while (!AtEnd && char.IsDigit(Current))
                {
                    _pos++;
                }
            }
            if (!AtEnd && (Current == 'e' || Current == 'E'))
            {
                int mark = _pos;
                _pos++;
                if (!AtEnd && (Current == '+' || Current == '-'))
                {
                    _pos++;
                }
                int digits = _pos;
                while (!AtEnd && char.IsDigit(Current))
                {
                    _pos++;
                }
                if (_pos == digits)
                {
                    _pos = mark;
                }
            }
            string literal = _text.Substring(start, _pos - start);
            if (literal == ".")
            {
                _pos = start;
                throw Error("a lone '.' is not a number");
            }
            try
            {
                return Expr.Num(Number.ParseDecimal(literal));
            }
            catch (System.FormatException)
            {
                _pos = start;
                throw Error($"'{literal}' is not a number");
            }
        }
    }
}
