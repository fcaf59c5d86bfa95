package dev.kiln.dsl.kotlin

import dev.kiln.dsl.DTypes.F32
import dev.kiln.dsl.Model
import dev.kiln.spec.DType
import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.shouldBe

/** `gt`, `lt` and `eq` build exactly the graph of the Java comparison they stand for, and give bool tensors. */
class ComparisonOperatorsTest : FunSpec({
  test("gt, lt and eq with tensors and numbers match greater, less and equal") {
    val kotlin = model("cmp") {
      val a = input("a", F32, 2, 3)
      val b = input("b", F32, 3)
      val any = (a gt b).cast(F32) + (a lt 0.5).cast(F32) + (a eq b).cast(F32) + (a gt 1).cast(F32)
      any
    }
    val java = Model.build("cmp") { m ->
      val a = m.input("a", F32, 2, 3)
      val b = m.input("b", F32, 3)
      a.greater(b).cast(F32).add(a.less(0.5).cast(F32)).add(a.equal(b).cast(F32)).add(a.greater(1.0).cast(F32))
    }
    kotlin.toText() shouldBe java.toText()
  }

  test("a comparison is a bool tensor with the broadcast shape") {
    model("cmp") {
      val a = input("a", F32, "batch", 3)
      val c = a gt 0
      c.dtype() shouldBe DType.BOOL
      c.shape().toString() shouldBe "[batch, 3]"
      c.cast(F32)
    }
  }
})
