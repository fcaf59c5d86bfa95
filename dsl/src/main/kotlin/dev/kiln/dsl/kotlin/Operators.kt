package dev.kiln.dsl.kotlin

import dev.kiln.dsl.ModelBuilder
import dev.kiln.dsl.Tensor
import dev.kiln.dsl.types.Bool
import dev.kiln.spec.HostTensor

// Operators and infix functions on tensors. Each one is a call of the Java API: `a + b` is `a.add(b)`.

/** `a + b`, broadcasting. */
operator fun <T : Any> Tensor<T>.plus(other: Tensor<T>): Tensor<T> = add(other)

/** `a - b`, broadcasting. */
operator fun <T : Any> Tensor<T>.minus(other: Tensor<T>): Tensor<T> = sub(other)

/** `a * b`, elementwise, broadcasting. */
operator fun <T : Any> Tensor<T>.times(other: Tensor<T>): Tensor<T> = mul(other)

/** `a / b`, broadcasting; integer division truncates toward zero. */
operator fun <T : Any> Tensor<T>.div(other: Tensor<T>): Tensor<T> = div(other)

/** `x + c` with a scalar of x's dtype. */
operator fun <T : Any> Tensor<T>.plus(c: Number): Tensor<T> = add(c.toDouble())

/** `x - c` with a scalar of x's dtype. */
operator fun <T : Any> Tensor<T>.minus(c: Number): Tensor<T> = sub(c.toDouble())

/** `x * c` with a scalar of x's dtype. */
operator fun <T : Any> Tensor<T>.times(c: Number): Tensor<T> = mul(c.toDouble())

/** `x / c` with a scalar of x's dtype. */
operator fun <T : Any> Tensor<T>.div(c: Number): Tensor<T> = div(c.toDouble())

/** `-x`. */
operator fun <T : Any> Tensor<T>.unaryMinus(): Tensor<T> = neg()

/** A scalar constant [c] of [like]'s dtype (what `x + c` adds in the Java API). */
private fun <T : Any> scalarLike(c: Number, like: Tensor<T>): Tensor<T> =
  like.builder().constant(HostTensor.scalar(like.dtype(), c.toDouble()))

/** `c + x`: the scalar first, as written. */
operator fun <T : Any> Number.plus(x: Tensor<T>): Tensor<T> = scalarLike(this, x).add(x)

/** `c - x`. */
operator fun <T : Any> Number.minus(x: Tensor<T>): Tensor<T> = scalarLike(this, x).sub(x)

/** `c * x`. */
operator fun <T : Any> Number.times(x: Tensor<T>): Tensor<T> = scalarLike(this, x).mul(x)

/** `c / x`. */
operator fun <T : Any> Number.div(x: Tensor<T>): Tensor<T> = scalarLike(this, x).div(x)

/** Matrix product: `x matmul w` (NumPy matmul semantics). */
infix fun <T : Any> Tensor<T>.matmul(other: Tensor<T>): Tensor<T> = this.matmul(other)

/** Elementwise power: `x pow y`. */
infix fun <T : Any> Tensor<T>.pow(other: Tensor<T>): Tensor<T> = this.pow(other)

/** Elementwise power by a scalar: `x pow 2`. */
infix fun <T : Any> Tensor<T>.pow(c: Number): Tensor<T> = this.pow(c.toDouble())

/** Elementwise `a > b` (broadcasting) as a bool tensor: `x gt y` is `x.greater(y)`. */
infix fun <T : Any> Tensor<T>.gt(other: Tensor<T>): Tensor<Bool> = greater(other)

/** Elementwise `a > c`. */
infix fun <T : Any> Tensor<T>.gt(c: Number): Tensor<Bool> = greater(c.toDouble())

/** Elementwise `a < b` (broadcasting): `x lt y` is `x.less(y)`. */
infix fun <T : Any> Tensor<T>.lt(other: Tensor<T>): Tensor<Bool> = less(other)

/** Elementwise `a < c`. */
infix fun <T : Any> Tensor<T>.lt(c: Number): Tensor<Bool> = less(c.toDouble())

/** Elementwise `a == b` (broadcasting): `x eq y` is `x.equal(y)`. */
infix fun <T : Any> Tensor<T>.eq(other: Tensor<T>): Tensor<Bool> = equal(other)

/** Elementwise `a == c`. */
infix fun <T : Any> Tensor<T>.eq(c: Number): Tensor<Bool> = equal(c.toDouble())

// ---- slicing -----------------------------------------------------------------------------------

/**
 * Elements of [range] along [axis]: `x.slice(1, 0 until 4)`, `x.slice(0, 0 until 10 step 2)`. Only increasing
 * ranges; use `slice(axis, start, end, step)` with a negative step to go backwards.
 */
fun <T : Any> Tensor<T>.slice(axis: Int, range: IntProgression): Tensor<T> {
  require(range.step > 0) { "slice of ${type()}: range $range must increase; use slice(axis, start, end, step)" }
  // An empty range keeps its start as the end, so the slice is empty too.
  val end = if (range.isEmpty()) range.first.toLong() else range.last.toLong() + 1
  return slice(axis, range.first.toLong(), end, range.step.toLong())
}

/** `x[0 until 2]` slices axis 0; `x[0 until 2, 1..3]` slices axes 0 and 1, and so on. */
operator fun <T : Any> Tensor<T>.get(vararg ranges: IntProgression): Tensor<T> =
  ranges.foldIndexed(this) { axis, t, r -> t.slice(axis, r) }

/**
 * Splits along [axis] into consecutive pieces of the given [sizes]: the slices `[0, s0)`, `[s0, s0 + s1)`, ...
 * `concat(axis, x.split(axis, ...))` is `x` again.
 */
fun <T : Any> Tensor<T>.split(axis: Int, vararg sizes: Int): List<Tensor<T>> {
  var start = 0L
  return sizes.map { s -> slice(axis, start, start + s).also { start += s } }
}

/** Joins [tensors] along [axis]; see `ModelBuilder.concat`. */
fun <T : Any> concat(axis: Int, tensors: List<Tensor<T>>): Tensor<T> = ModelBuilder.concat(axis, *tensors.toTypedArray())

// ---- shape helpers with named arguments ----------------------------------------------------------

/** Sum over [axes] (all when none); reduced axes stay as size 1 unless [keepDims] is false. */
fun <T : Any> Tensor<T>.sum(vararg axes: Int, keepDims: Boolean): Tensor<T> = sum(keepDims, *axes)

/** Mean over [axes] (all when none); reduced axes stay as size 1 unless [keepDims] is false. */
fun <T : Any> Tensor<T>.mean(vararg axes: Int, keepDims: Boolean): Tensor<T> = mean(keepDims, *axes)

/** Maximum over [axes] (all when none); reduced axes stay as size 1 unless [keepDims] is false. */
fun <T : Any> Tensor<T>.max(vararg axes: Int, keepDims: Boolean): Tensor<T> = max(keepDims, *axes)

/** The shape as a list of dims (static sizes or symbols). */
val Tensor<*>.dims: List<dev.kiln.spec.Dim> get() = List(rank()) { dim(it) }
