package dev.kiln.dsl.kotlin

import dev.kiln.dsl.Conv
import dev.kiln.dsl.Padding
import dev.kiln.dsl.Pool
import dev.kiln.dsl.Tensor
import dev.kiln.dsl.layers.Transform

/** One step of a [SequentialScope]: a function from tensor to tensor of the same dtype. */
fun interface Layer<T : Any> {
  /** Applies the layer to [x]. */
  fun forward(x: Tensor<T>): Tensor<T>
}

/**
 * The receiver of `sequential(x) { ... }`: `+layer` applies a layer to the running tensor. The factory
 * functions here mirror the tensor extensions ([conv2d], [linear], ...) with the same names and defaults
 * (a null argument means "the Java API's default"); [layer] takes any of the Java layer classes as they are.
 */
@KilnDsl
class SequentialScope<T : Any> internal constructor(start: Tensor<T>) {
  /** The running tensor: the input, then the output of each layer added so far. */
  var current: Tensor<T> = start
    private set

  /** Applies this layer to the running tensor. */
  operator fun Layer<T>.unaryPlus() {
    current = forward(current)
  }

  /** Any function of the running tensor as a layer: `+layer { it * 2.0 }`. */
  fun layer(f: (Tensor<T>) -> Tensor<T>): Layer<T> = Layer(f)

  /** A layer class under [name]: `+layer("c1", Conv2d.of(8, 3).padding(SAME))`. */
  fun layer(name: String, layer: dev.kiln.dsl.layers.Layer): Layer<T> = Layer { it.apply(name, layer) }

  /** A layer class without parameters: `+layer(MaxPool2d.of(2))`. */
  fun layer(transform: Transform): Layer<T> = Layer { it.apply(transform) }

  /** See [Tensor.linear]. */
  fun linear(name: String, out: Int, bias: Boolean = true): Layer<T> = Layer { it.linear(name, out, bias) }

  /** See the [conv2d] extension. */
  fun conv2d(
    name: String, out: Int, kernel: Int, stride: Int? = null, padding: Padding? = null, dilation: Int? = null,
    groups: Int? = null, bias: Boolean? = null,
  ): Layer<T> = Layer { it.conv2d(name, out, kernel, stride, padding, dilation, groups, bias) }

  /** See [Tensor.conv2d]. */
  fun conv2d(name: String, options: Conv): Layer<T> = Layer { it.conv2d(name, options) }

  /** See the [maxPool2d] extension. */
  fun maxPool2d(kernel: Int, stride: Int? = null, padding: Padding? = null, ceil: Boolean? = null): Layer<T> =
    Layer { it.maxPool2d(kernel, stride, padding, ceil) }

  /** See the [avgPool2d] extension. */
  fun avgPool2d(
    kernel: Int, stride: Int? = null, padding: Padding? = null, ceil: Boolean? = null, countIncludePad: Boolean? = null,
  ): Layer<T> = Layer { it.avgPool2d(kernel, stride, padding, ceil, countIncludePad) }

  /** See [Tensor.maxPool2d]. */
  fun maxPool2d(options: Pool): Layer<T> = Layer { it.maxPool2d(options) }

  /** See [Tensor.relu]. */
  fun relu(): Layer<T> = Layer { it.relu() }

  /** See [Tensor.leakyRelu]. */
  fun leakyRelu(alpha: Double? = null): Layer<T> = Layer { it.leakyRelu(alpha) }

  /** See [Tensor.sigmoid]. */
  fun sigmoid(): Layer<T> = Layer { it.sigmoid() }

  /** See [Tensor.tanh]. */
  fun tanh(): Layer<T> = Layer { it.tanh() }

  /** See [Tensor.softmax]. */
  fun softmax(axis: Int? = null): Layer<T> = Layer { if (axis == null) it.softmax() else it.softmax(axis) }

  /** See [Tensor.logSoftmax]. */
  fun logSoftmax(axis: Int? = null): Layer<T> = Layer { if (axis == null) it.logSoftmax() else it.logSoftmax(axis) }

  /** See [Tensor.flatten]. */
  fun flatten(axis: Int? = null): Layer<T> = Layer { if (axis == null) it.flatten() else it.flatten(axis) }

  /** See [Tensor.globalAvgPool]. */
  fun globalAvgPool(): Layer<T> = Layer { it.globalAvgPool() }

  /** See [Tensor.reshape]. */
  fun reshape(vararg dims: Any): Layer<T> = Layer { it.reshape(*dims) }
}
