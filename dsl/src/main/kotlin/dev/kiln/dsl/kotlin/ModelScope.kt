package dev.kiln.dsl.kotlin

import dev.kiln.dsl.DataType
import dev.kiln.dsl.Model
import dev.kiln.dsl.ModelBuilder
import dev.kiln.dsl.Tensor
import dev.kiln.dsl.init.Initializer
import dev.kiln.spec.HostTensor
import dev.kiln.spec.Shape
import dev.kiln.spec.ir.Attrs

/**
 * Builds a [Model] the Kotlin way; the same as `Model.build(name, seed, m -> ...)` in Java.
 *
 * ```
 * val mlp = model("mlp") {
 *   val x = input("x", F32, "batch", 784)
 *   x.linear("fc1", 256).relu().linear("fc2", 10)
 * }
 * ```
 * The lambda's last expression, when it is a tensor, becomes the output `output`, unless the body
 * declared outputs itself with [ModelScope.output].
 */
fun model(name: String, seed: Long = Model.DEFAULT_SEED, body: ModelScope.() -> Any?): Model =
  Model.build(name, seed) { m ->
    val scope = ModelScope(m)
    val result = scope.body()
    if (scope.declaredOutputs || result !is Tensor<*>) null else result
  }

/**
 * The receiver of [model] and [ModelScope.block]: inputs, parameters, outputs and name blocks, each
 * delegating to the Java [ModelBuilder] ([builder]) for ops and layers it does not cover.
 */
@KilnDsl
class ModelScope internal constructor(
  /** The Java builder underneath, for anything this scope does not wrap. */
  val builder: ModelBuilder,
) {
  /** Whether [output] was called in this model (then the body's value is not an output too). */
  internal var declaredOutputs = false

  /** The model's seed. */
  val seed: Long get() = builder.seed()

  /**
   * A model input. Dims are numbers, `Dim`s or symbol names: `input("x", F32, "batch", 784)`.
   */
  fun <T : Any> input(name: String, dtype: DataType<T>, vararg dims: Any): Tensor<T> = builder.input(name, dtype, *dims)

  /** A trainable parameter `block.name`; see [ModelBuilder.parameter]. */
  fun <T : Any> parameter(name: String, dtype: DataType<T>, shape: Shape, init: Initializer, fanIn: Long, fanOut: Long): Tensor<T> =
    builder.parameter(name, dtype, shape, init, fanIn, fanOut)

  /** A constant tensor. */
  fun <T : Any> constant(value: HostTensor): Tensor<T> = builder.constant(value)

  /** Applies any registry op by name (escape hatch for ops without a typed function). */
  fun <T : Any> apply(op: String, attrs: Attrs, vararg inputs: Tensor<*>): Tensor<T> = builder.apply(op, attrs, *inputs)

  /** Marks [t] as the model output [name]; the body's last expression then is not an output. */
  fun <T : Any> output(name: String, t: Tensor<T>): Tensor<T> {
    declaredOutputs = true
    return builder.output(name, t)
  }

  /** Runs [body] in a name block: parameters made inside are called `name.…`. */
  fun <R : Any> block(name: String, body: ModelScope.() -> R): R = builder.block(name) { this.body() }

  /**
   * A stack of layers applied to [x] in order: `sequential(x) { +conv2d("c1", out = 8, kernel = 3); +relu() }`.
   * With [name] the layers live in that name block.
   */
  fun <T : Any> sequential(x: Tensor<T>, name: String? = null, body: SequentialScope<T>.() -> Unit): Tensor<T> {
    val run = { SequentialScope(x).apply(body).current }
    return if (name == null) run() else builder.block(name) { run() }
  }
}
