using System.Text.Json.Serialization;

namespace FimBounds.Reports.Json;

// The shape of report.json. Field names marked CONTRACT are read by checks outside this repository:
// they carry an explicit [JsonPropertyName] so that renaming a C# member can never rename them.
// Every double here is already rounded; undefined values are null (JSON has no NaN or ∞).

internal sealed record JsonReport(
    string Schema,
    int SignificantDigits,
    string RankConvention,
    JsonRun Run,
    JsonTheory Theory,
    [property: JsonPropertyName("models")] IReadOnlyList<JsonModel> Models, // CONTRACT
    IReadOnlyList<JsonRanking> Rankings,
    [property: JsonPropertyName("agreement")] JsonAgreement Agreement, // CONTRACT
    JsonCorrelation EpsilonCorrelation,
    JsonTrend? EpsilonTrend,
    IReadOnlyList<string> ViolatedBounds);

internal sealed record JsonRun(
    string FimBoundsVersion,
    int Seed,
    int Samples,
    string Dataset,
    string CacheDirectory,
    int Threads,
    string Estimator,
    JsonAttacks? Attacks,
    IReadOnlyList<string> Notes);

internal sealed record JsonAttacks(
    string Norm,
    double PgdEpsilon,
    double PgdStepSize,
    int PgdSteps,
    double? CwConstant,
    int? CwSteps,
    double? CwLearningRate,
    string MinimalEpsilonMethod);

internal sealed record JsonTheory(IReadOnlyList<string> Assumptions, IReadOnlyList<string> Findings);

internal sealed record JsonModel(
    string Id,
    [property: JsonPropertyName("spec")] string Spec, // CONTRACT
    string Label,
    string Family,
    string Variant,
    long Parameters,
    JsonBound Bound,
    [property: JsonPropertyName("theoreticalRank")] int TheoreticalRank, // CONTRACT
    [property: JsonPropertyName("boundGlobal")] double BoundGlobal, // CONTRACT
    [property: JsonPropertyName("scope")] string Scope, // CONTRACT (issue 14): "global" | "calibration-inputs" — where boundGlobal holds
    [property: JsonPropertyName("fim")] JsonFim Fim, // CONTRACT
    double CleanAccuracy,
    [property: JsonPropertyName("robustAccuracy")] double RobustAccuracy, // CONTRACT: under PGD
    double? RobustAccuracyCw,
    [property: JsonPropertyName("tightness")] double? Tightness, // CONTRACT: boundGlobal / fim.max
    bool BoundHolds,
    OrderedDictionary<string, double> Ranks,
    IReadOnlyList<JsonLayer> Layers,
    JsonCorrelation EpsilonCorrelation,
    JsonTrend? EpsilonTrend,
    IReadOnlyList<JsonInput> Inputs,
    [property: JsonPropertyName("looseness")] JsonLooseness? Looseness, // CONTRACT (issue 14): softmax · lipschitz · alignment = tightness
    JsonCertification? Certification);

/// <summary>The looseness split of <c>BoundLooseness</c>; <c>layers</c> are the per-layer certificate gaps, largest share first.</summary>
internal sealed record JsonLooseness(
    double Tightness,
    [property: JsonPropertyName("softmax")] double Softmax,
    double ConfidenceAwareSoftmax,
    [property: JsonPropertyName("lipschitz")] double Lipschitz,
    double? Certificates,
    double? Composition,
    [property: JsonPropertyName("alignment")] double Alignment,
    [property: JsonPropertyName("layers")] IReadOnlyList<JsonLayerLooseness> Layers);

internal sealed record JsonLayerLooseness(string Path, string Kind, double Factor, double Attained, double? CertificateGap, double Log10Share);

internal sealed record JsonBound(string Text, string Latex);

internal sealed record JsonFim(
    int Count,
    [property: JsonPropertyName("mean")] double Mean, // CONTRACT
    [property: JsonPropertyName("median")] double Median, // CONTRACT
    [property: JsonPropertyName("p95")] double P95, // CONTRACT
    [property: JsonPropertyName("max")] double Max, // CONTRACT
    double Min,
    double Q1,
    double Q3,
    IReadOnlyList<double> Values);

internal sealed record JsonLayer(
    string Path,
    string Description,
    double BoundFactor,
    [property: JsonPropertyName("measuredFactor")] double? AttainedFactor, // CONTRACT: the field kept its first name
    double? Tightness);

internal sealed record JsonInput(double LambdaMax, double? MinimalEpsilon);

internal sealed record JsonCorrelation(string Method, double? Coefficient, double? Lower, double? Upper, double Confidence, int Pairs, int Excluded);

internal sealed record JsonTrend(string Space, double Slope, double Intercept, int Points);

internal sealed record JsonRanking(string Key, string Title, string Criterion, IReadOnlyList<JsonRankedEntry> Entries);

internal sealed record JsonRankedEntry(string Model, double Rank, double Score);

internal sealed record JsonAgreement(
    [property: JsonPropertyName("headlinePair")] string HeadlinePair,
    [property: JsonPropertyName("spearman")] double? Spearman, // CONTRACT: a number, the headline pair (theory vs measured)
    [property: JsonPropertyName("kendall")] double? Kendall, // CONTRACT: a number, the headline pair
    [property: JsonPropertyName("spearmanByPair")] OrderedDictionary<string, double?> SpearmanByPair, // every pair, keyed "theoryVsMeasured", …
    [property: JsonPropertyName("kendallByPair")] OrderedDictionary<string, double?> KendallByPair,
    IReadOnlyList<JsonAgreementPair> Pairs);

internal sealed record JsonAgreementPair(string First, string Second, double? Spearman, double? Kendall, int Models);
