package dev.kiln.dsl.kotlin

import dev.kiln.dsl.DTypes.F32
import dev.kiln.dsl.Model
import dev.kiln.dsl.ModelBuilder
import dev.kiln.dsl.Tensor
import dev.kiln.dsl.types.F32
import dev.kiln.spec.HostTensor
import dev.kiln.spec.ShapeException
import io.kotest.assertions.throwables.shouldThrow
import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.collections.shouldContainExactly
import io.kotest.matchers.shouldBe
import io.kotest.matchers.string.shouldContain

/**
 * Each operator and infix function builds exactly the graph of the Java call it stands for: both sides get
 * a = f32[2, 3], b = f32[2, 3] and w = f32[3, 4] as inputs.
 */
class OperatorsTest : FunSpec({
  fun kotlin(body: ModelScope.(Tensor<F32>, Tensor<F32>, Tensor<F32>) -> Tensor<F32>): String = model("ops") {
    body(input("a", F32, 2, 3), input("b", F32, 2, 3), input("w", F32, 3, 4))
  }.toText()

  fun java(body: (ModelBuilder, Tensor<F32>, Tensor<F32>, Tensor<F32>) -> Tensor<F32>): String = Model.build("ops") { m ->
    body(m, m.input("a", F32, 2, 3), m.input("b", F32, 2, 3), m.input("w", F32, 3, 4))
  }.toText()

  fun scalar(m: ModelBuilder, v: Double): Tensor<F32> = m.constant(HostTensor.scalar(dev.kiln.spec.DType.F32, v))

  val cases: List<Triple<String, ModelScope.(Tensor<F32>, Tensor<F32>, Tensor<F32>) -> Tensor<F32>,
      (ModelBuilder, Tensor<F32>, Tensor<F32>, Tensor<F32>) -> Tensor<F32>>> = listOf(
    Triple("a + b", { a, b, _ -> a + b }, { _, a, b, _ -> a.add(b) }),
    Triple("a - b", { a, b, _ -> a - b }, { _, a, b, _ -> a.sub(b) }),
    Triple("a * b", { a, b, _ -> a * b }, { _, a, b, _ -> a.mul(b) }),
    Triple("a / b", { a, b, _ -> a / b }, { _, a, b, _ -> a.div(b) }),
    Triple("a + 1", { a, _, _ -> a + 1 }, { _, a, _, _ -> a.add(1.0) }),
    Triple("a - 0.5", { a, _, _ -> a - 0.5 }, { _, a, _, _ -> a.sub(0.5) }),
    Triple("a * 2f", { a, _, _ -> a * 2f }, { _, a, _, _ -> a.mul(2.0) }),
    Triple("a / 4", { a, _, _ -> a / 4 }, { _, a, _, _ -> a.div(4.0) }),
    Triple("1 + a", { a, _, _ -> 1 + a }, { m, a, _, _ -> scalar(m, 1.0).add(a) }),
    Triple("1 - a", { a, _, _ -> 1 - a }, { m, a, _, _ -> scalar(m, 1.0).sub(a) }),
    Triple("3 * a", { a, _, _ -> 3 * a }, { m, a, _, _ -> scalar(m, 3.0).mul(a) }),
    Triple("1.0 / a", { a, _, _ -> 1.0 / a }, { m, a, _, _ -> scalar(m, 1.0).div(a) }),
    Triple("-a", { a, _, _ -> -a }, { _, a, _, _ -> a.neg() }),
    Triple("a matmul w", { a, _, w -> a matmul w }, { _, a, _, w -> a.matmul(w) }),
    Triple("a pow b", { a, b, _ -> a pow b }, { _, a, b, _ -> a.pow(b) }),
    Triple("a pow 2", { a, _, _ -> a pow 2 }, { _, a, _, _ -> a.pow(2.0) }),
    Triple("(a + b) * a - -b", { a, b, _ -> (a + b) * a - -b }, { _, a, b, _ -> a.add(b).mul(a).sub(b.neg()) }),
    Triple("a[0 until 1]", { a, _, _ -> a[0 until 1] }, { _, a, _, _ -> a.slice(0, 0, 1) }),
    Triple("a[0..1, 1 until 3]", { a, _, _ -> a[0..1, 1 until 3] }, { _, a, _, _ -> a.slice(0, 0, 2).slice(1, 1, 3) }),
    Triple("a.slice(1, 0 until 3 step 2)", { a, _, _ -> a.slice(1, 0 until 3 step 2) }, { _, a, _, _ -> a.slice(1, 0, 3, 2) }),
    Triple("a.sum(1, keepDims = false)", { a, _, _ -> a.sum(1, keepDims = false) }, { _, a, _, _ -> a.sum(false, 1) }),
    Triple("a.mean(keepDims = false)", { a, _, _ -> a.mean(keepDims = false) }, { _, a, _, _ -> a.mean(false) }),
    Triple("a.max(0, 1, keepDims = true)", { a, _, _ -> a.max(0, 1, keepDims = true) }, { _, a, _, _ -> a.max(0, 1) }),
    Triple("concat(1, listOf(a, b))", { a, b, _ -> concat(1, listOf(a, b)) }, { _, a, b, _ -> a.concat(1, b) }),
    Triple("a.leakyRelu(null)", { a, _, _ -> a.leakyRelu(null as Double?) }, { _, a, _, _ -> a.leakyRelu() }),
  )

  for ((name, kt, jv) in cases) {
    test("$name is the Java call") { kotlin(kt) shouldBe java(jv) }
  }

  test("split gives consecutive slices of the given sizes") {
    model("m") {
      val x = input("x", F32, 2, 7)
      val parts = x.split(1, 2, 4, 1)
      parts.map { it.shape().toString() } shouldContainExactly listOf("[2, 2]", "[2, 4]", "[2, 1]")
      concat(1, parts)
    }.graph().nodes().count { it.opName() == "Slice" } shouldBe 3
  }

  test("an empty range slices nothing") {
    model("m") { input("x", F32, 5)[2 until 2].also { it.shape().toString() shouldBe "[0]" } }
  }

  test("a decreasing range is refused with a hint") {
    val e = shouldThrow<IllegalArgumentException> { model("m") { input("x", F32, 5)[4 downTo 0] } }
    e.message shouldContain "slice(axis, start, end, step)"
  }

  test("mismatched shapes fail in the op's type rule, as from Java") {
    val e = shouldThrow<ShapeException> { model("m") { input("a", F32, 2, 3) + input("b", F32, 4) } }
    e.message shouldContain "Add: "
  }

  test("dims lists the shape") {
    model("m") {
      val x = input("x", F32, "batch", 3)
      x.dims.map { it.toString() } shouldContainExactly listOf("batch", "3")
      x
    }
  }
})
