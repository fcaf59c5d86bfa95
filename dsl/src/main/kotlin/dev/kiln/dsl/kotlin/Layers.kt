package dev.kiln.dsl.kotlin

import dev.kiln.dsl.Conv
import dev.kiln.dsl.Padding
import dev.kiln.dsl.Pool
import dev.kiln.dsl.Tensor
import dev.kiln.dsl.init.Initializer

// Layer extensions with named arguments. A null argument leaves the Java option at its own default
// (Conv: stride 1, dilation 1, VALID, 1 group, bias, He-uniform; Pool: stride = kernel, VALID, floor mode),
// so the defaults live in one place: the Java API.

/** No padding; `padding = VALID`. */
val VALID: Padding get() = Padding.VALID

/** Output size ceil(n / stride); `padding = SAME`. */
val SAME: Padding get() = Padding.SAME

/** Explicit padding: one value for every side, one per spatial axis, or ONNX order (begins, then ends). */
fun pad(vararg pads: Int): Padding = Padding.explicit(*pads.toLongs())

internal fun IntArray.toLongs(): LongArray = LongArray(size) { this[it].toLong() }

/** The Java [Conv] options for the named arguments (null: Java's default). */
internal fun convOptions(
  out: Int, kernel: IntArray, stride: IntArray?, padding: Padding?, dilation: IntArray?, groups: Int?, bias: Boolean?,
  weightInit: Initializer?, biasInit: Initializer?,
): Conv {
  val c = Conv.out(out.toLong()).kernel(*kernel.toLongs())
  stride?.let { c.stride(*it.toLongs()) }
  padding?.let { c.padding(it) }
  dilation?.let { c.dilation(*it.toLongs()) }
  groups?.let { c.groups(it.toLong()) }
  bias?.let { c.bias(it) }
  weightInit?.let { c.weightInit(it) }
  biasInit?.let { c.biasInit(it) }
  return c
}

/**
 * 2-D convolution layer `name` over x [N, C, H, W] with [out] channels and a square [kernel]; see
 * [Tensor.conv2d]. Example: `x.conv2d("c1", out = 32, kernel = 3, stride = 2, padding = SAME)`.
 */
fun <T : Any> Tensor<T>.conv2d(
  name: String, out: Int, kernel: Int, stride: Int? = null, padding: Padding? = null, dilation: Int? = null,
  groups: Int? = null, bias: Boolean? = null, weightInit: Initializer? = null, biasInit: Initializer? = null,
): Tensor<T> = conv2d(name, convOptions(out, intArrayOf(kernel), stride?.let { intArrayOf(it) }, padding,
  dilation?.let { intArrayOf(it) }, groups, bias, weightInit, biasInit))

/** 2-D convolution with per-axis sizes: `x.conv2d("c", out = 8, kernel = 3 to 5, stride = 1 to 2)`. */
fun <T : Any> Tensor<T>.conv2d(
  name: String, out: Int, kernel: Pair<Int, Int>, stride: Pair<Int, Int>? = null, padding: Padding? = null,
  dilation: Pair<Int, Int>? = null, groups: Int? = null, bias: Boolean? = null,
): Tensor<T> = conv2d(name, convOptions(out, kernel.toInts(), stride?.toInts(), padding, dilation?.toInts(), groups, bias,
  null, null))

private fun Pair<Int, Int>.toInts() = intArrayOf(first, second)

/** 1-D convolution layer over x [N, C, L]; see [Tensor.conv1d]. */
fun <T : Any> Tensor<T>.conv1d(
  name: String, out: Int, kernel: Int, stride: Int? = null, padding: Padding? = null, dilation: Int? = null,
  groups: Int? = null, bias: Boolean? = null, weightInit: Initializer? = null, biasInit: Initializer? = null,
): Tensor<T> = conv1d(name, convOptions(out, intArrayOf(kernel), stride?.let { intArrayOf(it) }, padding,
  dilation?.let { intArrayOf(it) }, groups, bias, weightInit, biasInit))

/** 3-D convolution layer over x [N, C, D, H, W]; see `ModelBuilder.conv3d`. */
fun <T : Any> Tensor<T>.conv3d(
  name: String, out: Int, kernel: Int, stride: Int? = null, padding: Padding? = null, dilation: Int? = null,
  groups: Int? = null, bias: Boolean? = null, weightInit: Initializer? = null, biasInit: Initializer? = null,
): Tensor<T> = builder().conv3d(name, this, convOptions(out, intArrayOf(kernel), stride?.let { intArrayOf(it) }, padding,
  dilation?.let { intArrayOf(it) }, groups, bias, weightInit, biasInit))

/** Dense layer `name` with [out] units; see `ModelBuilder.linear`. Without initialisers: Glorot weight, zero bias. */
fun <T : Any> Tensor<T>.linear(
  name: String, out: Int, bias: Boolean = true, weightInit: Initializer? = null, biasInit: Initializer? = null,
): Tensor<T> =
  if (bias && weightInit == null && biasInit == null) {
    linear(name, out.toLong())
  } else {
    // The Java overload with initialisers takes both; a missing one is the plain overload's default, as documented
    // on ModelBuilder.linear(name, x, out) (LinearSpec checks that the two agree).
    builder().linear(name, this, out.toLong(), bias, weightInit ?: dev.kiln.dsl.init.Initializers.glorotUniform(),
      biasInit ?: dev.kiln.dsl.init.Initializers.zeros())
  }

internal fun poolOptions(kernel: Int, stride: Int?, padding: Padding?, ceil: Boolean?, countIncludePad: Boolean?): Pool {
  val p = Pool.kernel(kernel.toLong())
  stride?.let { p.stride(it.toLong()) }
  padding?.let { p.padding(it) }
  ceil?.let { p.ceil(it) }
  countIncludePad?.let { p.countIncludePad(it) }
  return p
}

/** Max pooling over [N, C, H, W] with a [kernel] x [kernel] window (stride defaults to the kernel). */
fun <T : Any> Tensor<T>.maxPool2d(kernel: Int, stride: Int? = null, padding: Padding? = null, ceil: Boolean? = null): Tensor<T> =
  maxPool2d(poolOptions(kernel, stride, padding, ceil, null))

/** Average pooling over [N, C, H, W] with a [kernel] x [kernel] window (stride defaults to the kernel). */
fun <T : Any> Tensor<T>.avgPool2d(
  kernel: Int, stride: Int? = null, padding: Padding? = null, ceil: Boolean? = null, countIncludePad: Boolean? = null,
): Tensor<T> = avgPool2d(poolOptions(kernel, stride, padding, ceil, countIncludePad))

/** Leaky ReLU with slope [alpha] below zero (null: the op's default 0.01). */
fun <T : Any> Tensor<T>.leakyRelu(alpha: Double?): Tensor<T> = if (alpha == null) leakyRelu() else leakyRelu(alpha)

/**
 * Batch norm `name` over axis 1 with named options; see [Tensor.batchNorm]. Example:
 * `x.batchNorm("bn1", momentum = 0.01)` (PyTorch's meaning: running = (1 - m) running + m batch).
 */
fun <T : Any> Tensor<T>.batchNorm(name: String, epsilon: Double = 1e-5, momentum: Double = 0.1): Tensor<T> =
  batchNorm(name, epsilon, momentum)

/** Group norm `name` with [groups] groups over the channels (axis 1); see [Tensor.groupNorm]. */
fun <T : Any> Tensor<T>.groupNorm(name: String, groups: Int): Tensor<T> = groupNorm(name, groups.toLong())

/** Dropout with probability [rate]; whole channels when [spatial]; identity in the eval form. */
fun <T : Any> Tensor<T>.dropout(rate: Double, spatial: Boolean): Tensor<T> = if (spatial) spatialDropout(rate) else dropout(rate)

/** ELU with [alpha] (null: 1). */
fun <T : Any> Tensor<T>.elu(alpha: Double?): Tensor<T> = if (alpha == null) elu() else elu(alpha)

/**
 * 2-D transposed convolution layer `name` over x [N, C, H, W] with weight [C, out / groups, kernel, kernel]; see
 * `ModelBuilder.convTranspose2d`. Example: `x.convTranspose2d("up", out = 16, kernel = 4, stride = 2, padding = pad(1))`.
 */
fun <T : Any> Tensor<T>.convTranspose2d(
  name: String, out: Int, kernel: Int, stride: Int? = null, padding: Padding? = null, outputPadding: Int? = null,
  dilation: Int? = null, groups: Int? = null, bias: Boolean? = null, weightInit: Initializer? = null, biasInit: Initializer? = null,
): Tensor<T> = convTranspose2d(name, convOptions(out, intArrayOf(kernel), stride?.let { intArrayOf(it) }, padding,
  dilation?.let { intArrayOf(it) }, groups, bias, weightInit, biasInit).also { c -> outputPadding?.let { c.outputPadding(it.toLong()) } })

/** 1-D transposed convolution layer over x [N, C, L]; see [convTranspose2d]. */
fun <T : Any> Tensor<T>.convTranspose1d(
  name: String, out: Int, kernel: Int, stride: Int? = null, padding: Padding? = null, outputPadding: Int? = null,
  dilation: Int? = null, groups: Int? = null, bias: Boolean? = null, weightInit: Initializer? = null, biasInit: Initializer? = null,
): Tensor<T> = convTranspose1d(name, convOptions(out, intArrayOf(kernel), stride?.let { intArrayOf(it) }, padding,
  dilation?.let { intArrayOf(it) }, groups, bias, weightInit, biasInit).also { c -> outputPadding?.let { c.outputPadding(it.toLong()) } })

/**
 * Separable 2-D convolution `name`: depthwise `name.depthwise` (kernel, stride, padding, dilation), then pointwise
 * `name.pointwise` to [out] channels; see `ModelBuilder.separableConv2d`.
 */
fun <T : Any> Tensor<T>.separableConv2d(
  name: String, out: Int, kernel: Int, stride: Int? = null, padding: Padding? = null, dilation: Int? = null,
  bias: Boolean? = null, weightInit: Initializer? = null, biasInit: Initializer? = null,
): Tensor<T> = separableConv2d(name, convOptions(out, intArrayOf(kernel), stride?.let { intArrayOf(it) }, padding,
  dilation?.let { intArrayOf(it) }, null, bias, weightInit, biasInit))

/** Max pooling over [N, C, L] (stride defaults to the kernel). */
fun <T : Any> Tensor<T>.maxPool1d(kernel: Int, stride: Int? = null, padding: Padding? = null, ceil: Boolean? = null): Tensor<T> =
  maxPool1d(poolOptions(kernel, stride, padding, ceil, null))

/** Max pooling over [N, C, D, H, W] with a cubic [kernel] window (stride defaults to the kernel). */
fun <T : Any> Tensor<T>.maxPool3d(kernel: Int, stride: Int? = null, padding: Padding? = null, ceil: Boolean? = null): Tensor<T> =
  maxPool3d(poolOptions(kernel, stride, padding, ceil, null))

/** Average pooling over [N, C, L] (stride defaults to the kernel). */
fun <T : Any> Tensor<T>.avgPool1d(
  kernel: Int, stride: Int? = null, padding: Padding? = null, ceil: Boolean? = null, countIncludePad: Boolean? = null,
): Tensor<T> = avgPool1d(poolOptions(kernel, stride, padding, ceil, countIncludePad))

/** Average pooling over [N, C, D, H, W] with a cubic [kernel] window (stride defaults to the kernel). */
fun <T : Any> Tensor<T>.avgPool3d(
  kernel: Int, stride: Int? = null, padding: Padding? = null, ceil: Boolean? = null, countIncludePad: Boolean? = null,
): Tensor<T> = avgPool3d(poolOptions(kernel, stride, padding, ceil, countIncludePad))

/** Adaptive average pooling to [size] x [size]; see `Tensor.adaptiveAvgPool2d`. */
fun <T : Any> Tensor<T>.adaptiveAvgPool2d(size: Int): Tensor<T> = adaptiveAvgPool2d(size, size)

/** PReLU layer `name` with one learned slope per channel (axis 1), starting at [init]; see `ModelBuilder.prelu`. */
fun <T : Any> Tensor<T>.prelu(name: String, init: Double = 0.25): Tensor<T> = builder().prelu(name, this, init)

/** Embedding layer `name`: table `name.weight` [vocab, dim] (f32, N(0, 1)) looked up by these i32/i64 ids. */
fun Tensor<*>.embedding(name: String, vocab: Int, dim: Int): Tensor<dev.kiln.dsl.types.F32> =
  builder().embedding(name, this, vocab.toLong(), dim.toLong())

/** Slices along [axis] picked by [indices]: `table.gather(ids)` is an embedding lookup. */
fun <T : Any> Tensor<T>.gather(indices: Tensor<*>): Tensor<T> = gather(indices, 0)
