using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace FimBounds.Reports.Json;

/// <summary>
/// The one JSON policy of everything FimBounds writes for people and programs (report.json and every
/// command's --json): camelCase field names (the names are contracts), two-space indentation with "\n"
/// line ends, λ, ε, σ and LaTeX backslashes kept readable, enums as kebab-case strings, and a number that
/// is not finite (NaN, ±∞: an undefined rate, a censored ε) written as null — JSON has no such numbers,
/// and null is what every reader understands as "no value". Flags beside such fields say why (e.g. an
/// attack's "found").
/// </summary>
public static class JsonPolicy
{
    public static JsonSerializerOptions Options { get; } = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        DictionaryKeyPolicy = null, // keys are already what they should be ("theoryVsMeasured", "pgd-trained" ids)
        WriteIndented = true,
        IndentSize = 2,
        NewLine = "\n",
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        Converters = { new NonFiniteAsNull(), new JsonStringEnumConverter(JsonNamingPolicy.KebabCaseLower) },
    };

    public static string Serialize<T>(T value) => JsonSerializer.Serialize(value, Options);

    /// <summary>Writes NaN and ±∞ as null (double? fields go through it too); reads numbers and null as NaN.</summary>
    private sealed class NonFiniteAsNull : JsonConverter<double>
    {
        public override bool HandleNull => true;

        public override double Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
            reader.TokenType == JsonTokenType.Null ? double.NaN : reader.GetDouble();

        public override void Write(Utf8JsonWriter writer, double value, JsonSerializerOptions options)
        {
            if (double.IsFinite(value))
            {
                writer.WriteNumberValue(value);
            }
            else
            {
                writer.WriteNullValue();
            }
        }
    }
}
