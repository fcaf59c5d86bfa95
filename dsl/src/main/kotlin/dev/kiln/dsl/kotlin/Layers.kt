package dev.kiln.dsl.kotlin

import dev.kiln.dsl.Padding
import dev.kiln.dsl.Tensor
import dev.kiln.dsl.init.Initializer
import dev.kiln.dsl.layers.AdaptiveAvgPool2d
import dev.kiln.dsl.layers.AvgPool1d
import dev.kiln.dsl.layers.AvgPool2d
import dev.kiln.dsl.layers.AvgPool3d
import dev.kiln.dsl.layers.BatchNorm
import dev.kiln.dsl.layers.Conv1d
import dev.kiln.dsl.layers.Conv2d
import dev.kiln.dsl.layers.Conv3d
import dev.kiln.dsl.layers.ConvLayer
import dev.kiln.dsl.layers.ConvTranspose1d
import dev.kiln.dsl.layers.ConvTranspose2d
import dev.kiln.dsl.layers.Dropout
import dev.kiln.dsl.layers.Embedding
import dev.kiln.dsl.layers.GroupNorm
import dev.kiln.dsl.layers.Linear
import dev.kiln.dsl.layers.MaxPool1d
import dev.kiln.dsl.layers.MaxPool2d
import dev.kiln.dsl.layers.MaxPool3d
import dev.kiln.dsl.layers.PRelu
import dev.kiln.dsl.layers.PoolLayer
import dev.kiln.dsl.layers.SeparableConv2d
import dev.kiln.dsl.types.F32

// Layer extensions with named arguments, each one call of a layer class of dev.kiln.dsl.layers. A null argument
// leaves that option at the layer class's default (conv: stride 1, dilation 1, VALID, 1 group, bias, He-uniform;
// pooling: stride = kernel, VALID, floor mode), so the defaults live in one place: the Java layer classes.

/** No padding; `padding = VALID`. */
val VALID: Padding get() = Padding.VALID

/** Output size ceil(n / stride); `padding = SAME`. */
val SAME: Padding get() = Padding.SAME

/** Explicit padding: one value for every side, one per spatial axis, or ONNX order (begins, then ends). */
fun pad(vararg pads: Int): Padding = Padding.explicit(*pads.toLongs())

internal fun IntArray.toLongs(): LongArray = LongArray(size) { this[it].toLong() }

/** [f] applied when [v] was given, else this unchanged: a left-out named argument keeps the Java default. */
internal inline fun <S, V : Any> S.opt(v: V?, f: S.(V) -> S): S = if (v == null) this else f(v)

/** The convolution options given as named arguments (null: the layer class's default). */
internal fun <S : ConvLayer<S>> S.configure(
  stride: IntArray?, padding: Padding?, dilation: IntArray?, groups: Int?, bias: Boolean?, weightInit: Initializer?,
  biasInit: Initializer?,
): S = opt(stride) { stride(*it.toLongs()) }.opt(padding) { padding(it) }.opt(dilation) { dilation(*it.toLongs()) }
  .opt(groups) { groups(it.toLong()) }.opt(bias) { bias(it) }.opt(weightInit) { weightInit(it) }.opt(biasInit) { biasInit(it) }

/** The pooling options given as named arguments (null: the layer class's default). */
internal fun <S : PoolLayer<S>> S.configure(stride: Int?, padding: Padding?, ceil: Boolean?): S =
  opt(stride) { stride(it.toLong()) }.opt(padding) { padding(it) }.opt(ceil) { ceil(it) }

private fun Int?.axes(): IntArray? = this?.let { intArrayOf(it) }

/**
 * 2-D convolution layer `name` over x [N, C, H, W] with [out] channels and a square [kernel]: [Conv2d]. Example:
 * `x.conv2d("c1", out = 32, kernel = 3, stride = 2, padding = SAME)`.
 */
fun <T : Any> Tensor<T>.conv2d(
  name: String, out: Int, kernel: Int, stride: Int? = null, padding: Padding? = null, dilation: Int? = null,
  groups: Int? = null, bias: Boolean? = null, weightInit: Initializer? = null, biasInit: Initializer? = null,
): Tensor<T> = apply(name, Conv2d.of(out.toLong(), kernel.toLong())
  .configure(stride.axes(), padding, dilation.axes(), groups, bias, weightInit, biasInit))

/** 2-D convolution with per-axis sizes: `x.conv2d("c", out = 8, kernel = 3 to 5, stride = 1 to 2)`. */
fun <T : Any> Tensor<T>.conv2d(
  name: String, out: Int, kernel: Pair<Int, Int>, stride: Pair<Int, Int>? = null, padding: Padding? = null,
  dilation: Pair<Int, Int>? = null, groups: Int? = null, bias: Boolean? = null,
): Tensor<T> = apply(name, Conv2d.of(out.toLong(), 1).kernel(*kernel.toInts().toLongs())
  .configure(stride?.toInts(), padding, dilation?.toInts(), groups, bias, null, null))

private fun Pair<Int, Int>.toInts() = intArrayOf(first, second)

/** 1-D convolution layer over x [N, C, L]: [Conv1d]. */
fun <T : Any> Tensor<T>.conv1d(
  name: String, out: Int, kernel: Int, stride: Int? = null, padding: Padding? = null, dilation: Int? = null,
  groups: Int? = null, bias: Boolean? = null, weightInit: Initializer? = null, biasInit: Initializer? = null,
): Tensor<T> = apply(name, Conv1d.of(out.toLong(), kernel.toLong())
  .configure(stride.axes(), padding, dilation.axes(), groups, bias, weightInit, biasInit))

/** 3-D convolution layer over x [N, C, D, H, W]: [Conv3d]. */
fun <T : Any> Tensor<T>.conv3d(
  name: String, out: Int, kernel: Int, stride: Int? = null, padding: Padding? = null, dilation: Int? = null,
  groups: Int? = null, bias: Boolean? = null, weightInit: Initializer? = null, biasInit: Initializer? = null,
): Tensor<T> = apply(name, Conv3d.of(out.toLong(), kernel.toLong())
  .configure(stride.axes(), padding, dilation.axes(), groups, bias, weightInit, biasInit))

/** Dense layer `name` with [out] units: [Linear]. Without initialisers: Glorot weight, zero bias. */
fun <T : Any> Tensor<T>.linear(
  name: String, out: Int, bias: Boolean = true, weightInit: Initializer? = null, biasInit: Initializer? = null,
): Tensor<T> = apply(name, Linear.of(out.toLong()).bias(bias).opt(weightInit) { weightInit(it) }.opt(biasInit) { biasInit(it) })

/** Max pooling over [N, C, H, W] with a [kernel] x [kernel] window (stride defaults to the kernel): [MaxPool2d]. */
fun <T : Any> Tensor<T>.maxPool2d(kernel: Int, stride: Int? = null, padding: Padding? = null, ceil: Boolean? = null): Tensor<T> =
  apply(MaxPool2d.of(kernel.toLong()).configure(stride, padding, ceil))

/** Average pooling over [N, C, H, W] with a [kernel] x [kernel] window (stride defaults to the kernel): [AvgPool2d]. */
fun <T : Any> Tensor<T>.avgPool2d(
  kernel: Int, stride: Int? = null, padding: Padding? = null, ceil: Boolean? = null, countIncludePad: Boolean? = null,
): Tensor<T> = apply(AvgPool2d.of(kernel.toLong()).configure(stride, padding, ceil).opt(countIncludePad) { countIncludePad(it) })

/** Leaky ReLU with slope [alpha] below zero (null: the op's default 0.01). */
fun <T : Any> Tensor<T>.leakyRelu(alpha: Double?): Tensor<T> = if (alpha == null) leakyRelu() else leakyRelu(alpha)

/**
 * Batch norm `name` over axis 1 with named options: [BatchNorm]. Example: `x.batchNorm("bn1", momentum = 0.01)`
 * (PyTorch's meaning: running = (1 - m) running + m batch).
 */
fun <T : Any> Tensor<T>.batchNorm(name: String, epsilon: Double = BatchNorm.EPSILON, momentum: Double = BatchNorm.MOMENTUM): Tensor<T> =
  apply(name, BatchNorm.of().epsilon(epsilon).momentum(momentum))

/** Group norm `name` with [groups] groups over the channels (axis 1): [GroupNorm]. */
fun <T : Any> Tensor<T>.groupNorm(name: String, groups: Int): Tensor<T> = apply(name, GroupNorm.of(groups.toLong()))

/** Dropout with probability [rate]; whole channels when [spatial]; identity in the eval form: [Dropout]. */
fun <T : Any> Tensor<T>.dropout(rate: Double, spatial: Boolean): Tensor<T> =
  apply(if (spatial) Dropout.of(rate).spatial() else Dropout.of(rate))

/** ELU with [alpha] (null: 1). */
fun <T : Any> Tensor<T>.elu(alpha: Double?): Tensor<T> = if (alpha == null) elu() else elu(alpha)

/**
 * 2-D transposed convolution layer `name` over x [N, C, H, W] with weight [C, out / groups, kernel, kernel]:
 * [ConvTranspose2d]. Example: `x.convTranspose2d("up", out = 16, kernel = 4, stride = 2, padding = pad(1))`.
 */
fun <T : Any> Tensor<T>.convTranspose2d(
  name: String, out: Int, kernel: Int, stride: Int? = null, padding: Padding? = null, outputPadding: Int? = null,
  dilation: Int? = null, groups: Int? = null, bias: Boolean? = null, weightInit: Initializer? = null, biasInit: Initializer? = null,
): Tensor<T> = apply(name, ConvTranspose2d.of(out.toLong(), kernel.toLong())
  .configure(stride.axes(), padding, dilation.axes(), groups, bias, weightInit, biasInit).opt(outputPadding) { outputPadding(it.toLong()) })

/** 1-D transposed convolution layer over x [N, C, L]: [ConvTranspose1d]. */
fun <T : Any> Tensor<T>.convTranspose1d(
  name: String, out: Int, kernel: Int, stride: Int? = null, padding: Padding? = null, outputPadding: Int? = null,
  dilation: Int? = null, groups: Int? = null, bias: Boolean? = null, weightInit: Initializer? = null, biasInit: Initializer? = null,
): Tensor<T> = apply(name, ConvTranspose1d.of(out.toLong(), kernel.toLong())
  .configure(stride.axes(), padding, dilation.axes(), groups, bias, weightInit, biasInit).opt(outputPadding) { outputPadding(it.toLong()) })

/**
 * Separable 2-D convolution `name`: depthwise `name.depthwise` (kernel, stride, padding, dilation), then pointwise
 * `name.pointwise` to [out] channels: [SeparableConv2d].
 */
fun <T : Any> Tensor<T>.separableConv2d(
  name: String, out: Int, kernel: Int, stride: Int? = null, padding: Padding? = null, dilation: Int? = null,
  bias: Boolean? = null, weightInit: Initializer? = null, biasInit: Initializer? = null,
): Tensor<T> = apply(name, SeparableConv2d.of(out.toLong(), kernel.toLong())
  .configure(stride.axes(), padding, dilation.axes(), null, bias, weightInit, biasInit))

/** Max pooling over [N, C, L] (stride defaults to the kernel): [MaxPool1d]. */
fun <T : Any> Tensor<T>.maxPool1d(kernel: Int, stride: Int? = null, padding: Padding? = null, ceil: Boolean? = null): Tensor<T> =
  apply(MaxPool1d.of(kernel.toLong()).configure(stride, padding, ceil))

/** Max pooling over [N, C, D, H, W] with a cubic [kernel] window (stride defaults to the kernel): [MaxPool3d]. */
fun <T : Any> Tensor<T>.maxPool3d(kernel: Int, stride: Int? = null, padding: Padding? = null, ceil: Boolean? = null): Tensor<T> =
  apply(MaxPool3d.of(kernel.toLong()).configure(stride, padding, ceil))

/** Average pooling over [N, C, L] (stride defaults to the kernel): [AvgPool1d]. */
fun <T : Any> Tensor<T>.avgPool1d(
  kernel: Int, stride: Int? = null, padding: Padding? = null, ceil: Boolean? = null, countIncludePad: Boolean? = null,
): Tensor<T> = apply(AvgPool1d.of(kernel.toLong()).configure(stride, padding, ceil).opt(countIncludePad) { countIncludePad(it) })

/** Average pooling over [N, C, D, H, W] with a cubic [kernel] window (stride defaults to the kernel): [AvgPool3d]. */
fun <T : Any> Tensor<T>.avgPool3d(
  kernel: Int, stride: Int? = null, padding: Padding? = null, ceil: Boolean? = null, countIncludePad: Boolean? = null,
): Tensor<T> = apply(AvgPool3d.of(kernel.toLong()).configure(stride, padding, ceil).opt(countIncludePad) { countIncludePad(it) })

/** Adaptive average pooling to [size] x [size]: [AdaptiveAvgPool2d]. */
fun <T : Any> Tensor<T>.adaptiveAvgPool2d(size: Int): Tensor<T> = apply(AdaptiveAvgPool2d.of(size))

/** PReLU layer `name` with one learned slope per channel (axis 1), starting at [init]: [PRelu]. */
fun <T : Any> Tensor<T>.prelu(name: String, init: Double = PRelu.INIT): Tensor<T> = apply(name, PRelu.of().init(init))

/** Embedding layer `name`: table `name.weight` [vocab, dim] (f32, N(0, 1)) looked up by these i32/i64 ids: [Embedding]. */
fun Tensor<*>.embedding(name: String, vocab: Int, dim: Int): Tensor<F32> = apply(name, Embedding.of(vocab.toLong(), dim.toLong()))

/** Slices along axis 0 picked by [indices]: `table.gather(ids)` is an embedding lookup. */
fun <T : Any> Tensor<T>.gather(indices: Tensor<*>): Tensor<T> = gather(indices, 0)
