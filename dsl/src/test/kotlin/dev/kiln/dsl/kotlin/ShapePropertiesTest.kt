package dev.kiln.dsl.kotlin

import dev.kiln.dsl.DTypes.F32
import dev.kiln.dsl.Tensor
import dev.kiln.dsl.types.F32
import dev.kiln.spec.ShapeException
import io.kotest.assertions.throwables.shouldThrow
import io.kotest.assertions.withClue
import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.shouldBe
import io.kotest.property.Arb
import io.kotest.property.PropTestConfig
import io.kotest.property.arbitrary.bind
import io.kotest.property.arbitrary.boolean
import io.kotest.property.arbitrary.int
import io.kotest.property.arbitrary.list
import io.kotest.property.arbitrary.long
import io.kotest.property.checkAll
import kotlin.random.Random

/**
 * Property tests of the shape rules as seen through the Kotlin DSL, each against an independent formula
 * written here: NumPy broadcasting, the convolution / pooling output size, and round trips that must give
 * the input shape back.
 */
class ShapePropertiesTest : FunSpec({
  val config = PropTestConfig(seed = 20261123)

  /** The output shape of [body] applied to an input of [shape] (static sizes). */
  fun shapeOf(shape: List<Int>, body: (Tensor<F32>) -> Tensor<F32>): List<Long> {
    var out: List<Long> = emptyList()
    model("p") {
      val y = body(input("x", F32, *shape.toTypedArray()))
      out = y.dims.map { it.size() }
      y
    }
    return out
  }

  test("broadcasting follows the NumPy rule") {
    val shapes = Arb.list(Arb.int(1..3), 0..4)
    checkAll(400, config, shapes, shapes) { a, b ->
      // NumPy: align right, pad the shorter with 1s; equal sizes or a 1 on one side, else an error.
      val n = maxOf(a.size, b.size)
      val pa = List(n - a.size) { 1 } + a
      val pb = List(n - b.size) { 1 } + b
      val expected = pa.zip(pb).map { (x, y) -> if (x == y || y == 1) x else if (x == 1) y else null }
      val build = {
        var out: List<Long> = emptyList()
        model("b") {
          val y = input("a", F32, *a.toTypedArray()) + input("b", F32, *b.toTypedArray())
          out = y.dims.map { it.size() }
          y
        }
        out
      }
      withClue("$a + $b") {
        if (expected.any { it == null }) shouldThrow<ShapeException> { build() }
        else build() shouldBe expected.map { it!!.toLong() }
      }
    }
  }

  data class ConvCase(val h: Int, val w: Int, val k: Int, val s: Int, val p: Int, val d: Int)

  test("conv output size is floor((N + 2P - D(K-1) - 1) / S) + 1") {
    val cases = Arb.bind(Arb.int(1..12), Arb.int(1..12), Arb.int(1..4), Arb.int(1..3), Arb.int(0..2), Arb.int(1..2), ::ConvCase)
    checkAll(400, config, cases) { c ->
      fun size(n: Int): Long? {
        val num = n + 2 * c.p - c.d * (c.k - 1) - 1
        return if (num < 0) null else Math.floorDiv(num, c.s).toLong() + 1
      }
      val eh = size(c.h)
      val ew = size(c.w)
      val conv = { x: Tensor<F32> -> x.conv2d("c", out = 2, kernel = c.k, stride = c.s, padding = pad(c.p), dilation = c.d) }
      withClue(c) {
        if (eh == null || ew == null) shouldThrow<ShapeException> { shapeOf(listOf(1, 3, c.h, c.w), conv) }
        else shapeOf(listOf(1, 3, c.h, c.w), conv) shouldBe listOf(1L, 2L, eh, ew)
      }
    }
  }

  data class PoolCase(val n: Int, val k: Int, val s: Int, val p: Int, val ceil: Boolean)

  test("pool output size: floor or ceil of (N + 2P - K) / S, plus 1; a ceil window must start inside") {
    val cases = Arb.bind(Arb.int(1..12), Arb.int(1..4), Arb.int(1..3), Arb.int(0..2), Arb.boolean()) { n, k, s, p, ceil ->
      PoolCase(n, k, s, minOf(p, k / 2), ceil)
    }
    checkAll(400, config, cases) { c ->
      val avail = c.n + 2 * c.p - c.k
      val expected: Long? = when {
        avail < 0 -> null
        !c.ceil -> (avail / c.s + 1).toLong()
        else -> {
          var out = (avail + c.s - 1) / c.s + 1
          // PyTorch's rule (ONNX follows it): drop a last window that would start in the right padding.
          if ((out - 1) * c.s >= c.n + c.p) out--
          out.toLong()
        }
      }
      for (avg in listOf(false, true)) {
        val pool = { x: Tensor<F32> ->
          if (avg) x.avgPool2d(c.k, stride = c.s, padding = pad(c.p), ceil = c.ceil)
          else x.maxPool2d(c.k, stride = c.s, padding = pad(c.p), ceil = c.ceil)
        }
        withClue("$c avg=$avg") {
          if (expected == null) shouldThrow<ShapeException> { shapeOf(listOf(2, 1, c.n, c.n), pool) }
          else shapeOf(listOf(2, 1, c.n, c.n), pool) shouldBe listOf(2L, 1L, expected, expected)
        }
      }
    }
  }

  val shapes = Arb.list(Arb.int(1..4), 1..4)

  test("transpose by a permutation, then by its inverse, gives the shape back") {
    checkAll(200, config, shapes, Arb.long()) { shape, seed ->
      val perm = shape.indices.shuffled(Random(seed)).toIntArray()
      val inverse = IntArray(perm.size).also { inv -> perm.forEachIndexed { i, p -> inv[p] = i } }
      shapeOf(shape) { it.transpose(*perm) } shouldBe perm.map { shape[it].toLong() }
      shapeOf(shape) { it.transpose(*perm).transpose(*inverse) } shouldBe shape.map { it.toLong() }
    }
  }

  test("reshape to one axis and back, and flatten at any axis and back, give the shape back") {
    checkAll(200, config, shapes, Arb.int(0..4)) { shape, a ->
      val axis = a % (shape.size + 1)
      val dims = shape.map { it.toLong() }
      val back = dims.toTypedArray<Any>()
      shapeOf(shape) { it.reshape(-1) } shouldBe listOf(dims.fold(1L, Long::times))
      shapeOf(shape) { it.reshape(-1).reshape(*back) } shouldBe dims
      shapeOf(shape) { it.flatten(axis) } shouldBe
        listOf(dims.take(axis).fold(1L, Long::times), dims.drop(axis).fold(1L, Long::times))
      shapeOf(shape) { it.flatten(axis).reshape(*back) } shouldBe dims
    }
  }

  test("split then concat along the same axis gives the shape back; the pieces have the split sizes") {
    checkAll(200, config, shapes, Arb.int(0..3), Arb.long()) { shape, a, seed ->
      val axis = a % shape.size
      val rnd = Random(seed)
      // A random composition of shape[axis] into positive parts.
      val sizes = mutableListOf<Int>()
      var left = shape[axis]
      while (left > 0) { val s = rnd.nextInt(1, left + 1); sizes += s; left -= s }
      var pieces: List<List<Long>> = emptyList()
      shapeOf(shape) { x ->
        val parts = x.split(axis, *sizes.toIntArray())
        pieces = parts.map { p -> p.dims.map { it.size() } }
        concat(axis, parts)
      } shouldBe shape.map { it.toLong() }
      pieces shouldBe sizes.map { s -> shape.mapIndexed { i, d -> if (i == axis) s.toLong() else d.toLong() } }
    }
  }
})

