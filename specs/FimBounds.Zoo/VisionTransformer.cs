using FimBounds.Spec;

namespace FimBounds.Zoo;

// Vision Transformer (Dosovitskiy et al., 2021), torchvision layout: conv_proj, class_token,
// encoder.{pos_embedding, layers.encoder_layer_N.{ln_1, self_attention, ln_2, mlp.0, mlp.3}, ln}, heads.head.

/// <summary>Pre-LN attention sub-block: x + Dropout(MHA(LN(x))).</summary>
[ResidualBlock(Shortcut = Shortcut.Identity)]
[LayerNorm(Eps = 1e-6, Name = "ln_1")]
[SelfAttention(BlockParam.Heads, Name = "self_attention")]
[Dropout(0.0, Name = "dropout")]
public sealed class AttentionSubBlock;

/// <summary>Pre-LN MLP sub-block: x + MLP(LN(x)).</summary>
[ResidualBlock(Shortcut = Shortcut.Identity)]
[LayerNorm(Eps = 1e-6, Name = "ln_2")]
[Mlp(BlockParam.Hidden, Name = "mlp")]
public sealed class MlpSubBlock;

/// <summary>The Transformer encoder block: both sub-blocks in one module, as torchvision's EncoderBlock.</summary>
[Block]
[Use(typeof(AttentionSubBlock))]
[Use(typeof(MlpSubBlock))]
public sealed class EncoderBlock;

[Architecture("vit-b-16", Family = Family.Transformer, Input = new[] { 3, 224, 224 }, Classes = 1000)]
[Normalize(new[] { 0.485, 0.456, 0.406 }, new[] { 0.229, 0.224, 0.225 })]
[PatchEmbedding(768, 16)]
[ClassToken]
[Stage("encoder")]
[PositionEmbedding(Name = "pos_embedding")]
[Dropout(0.0, Name = "dropout")]
[Repeat(typeof(EncoderBlock), 12, Name = "layers", ItemName = "encoder_layer_{0}", Heads = 12, Hidden = 3072)]
[LayerNorm(Eps = 1e-6, Name = "ln")]
[EndStage]
[SelectToken(0)]
[Stage("heads")]
[Classifier(Name = "head")]
public partial class VitB16;

/// <summary>ViT at Fashion-MNIST scale: 7×7 patches (16 tokens + class token), dim 64, 2 blocks of 4 heads, MLP 128.</summary>
[Architecture("vit-mini", Family = Family.Transformer, Input = new[] { 1, 28, 28 }, Classes = 10)]
[Normalize(new[] { 0.2860 }, new[] { 0.3530 })]
[PatchEmbedding(64, 7)]
[ClassToken]
[Stage("encoder")]
[PositionEmbedding(Name = "pos_embedding")]
[Dropout(0.0, Name = "dropout")]
[Repeat(typeof(EncoderBlock), 2, Name = "layers", ItemName = "encoder_layer_{0}", Heads = 4, Hidden = 128)]
[LayerNorm(Eps = 1e-6, Name = "ln")]
[EndStage]
[SelectToken(0)]
[Stage("heads")]
[Classifier(Name = "head")]
public partial class VitMini;
