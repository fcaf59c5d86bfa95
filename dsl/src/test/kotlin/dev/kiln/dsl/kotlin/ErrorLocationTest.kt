package dev.kiln.dsl.kotlin

import dev.kiln.dsl.DTypes.F32
import dev.kiln.dsl.Tensor
import dev.kiln.dsl.types.F32
import dev.kiln.spec.ShapeException
import io.kotest.assertions.throwables.shouldThrow
import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.string.shouldContain
import io.kotest.matchers.string.shouldNotContain
import io.kotest.matchers.string.shouldStartWith

/** A shape mistake written in Kotlin is reported at the user's .kt file and line, not inside the Kotlin layer. */
class ErrorLocationTest : FunSpec({
  fun String.atLine(line: Int) {
    this shouldContain "(ErrorLocationTest.kt:$line)"
    val at = substring(lastIndexOf("\n  at ") + 6)
    at shouldNotContain "OperatorsKt"
    at shouldNotContain "ModelScope"
    at shouldNotContain "LayersKt"
  }

  test("an operator on mismatched shapes in a block points at the operator's line") {
    var line = -1
    val e = shouldThrow<ShapeException> {
      model("resnetish") {
        val a = input("a", F32, "batch", 64)
        val b = input("b", F32, "batch", 32)
        block("res1") {
          line = Throwable().stackTrace[0].lineNumber; a + b
        }
      }
    }
    e.message!! shouldStartWith "Add: "
    e.message!! shouldContain "axis 1: 64 vs 32"
    e.message!! shouldContain "in block res1 of model resnetish"
    e.message!!.atLine(line)
  }

  test("a layer extension with a wrong input points at the caller's line") {
    var line = -1
    val e = shouldThrow<ShapeException> {
      model("m") {
        val x = input("x", F32, "batch", 8)
        line = Throwable().stackTrace[0].lineNumber; x.conv2d("c1", out = 4, kernel = 3)
      }
    }
    e.message!! shouldContain "conv 'c1'"
    e.message!!.atLine(line)
  }

  test("a mistake inside a sequential layer points at the layer's line") {
    var line = -1
    val e = shouldThrow<ShapeException> {
      model("m") {
        val x = input("x", F32, "batch", 3, 8, 8)
        sequential(x) {
          +relu()
          line = Throwable().stackTrace[0].lineNumber; +layer { it + it.flatten() }
        }
      }
    }
    e.message!! shouldStartWith "Add: "
    e.message!!.atLine(line)
  }

  test("a mistake in a user's helper function points at the helper") {
    var line = -1
    fun Tensor<F32>.residual(): Tensor<F32> {
      val h = linear("fc", 32)
      line = Throwable().stackTrace[0].lineNumber; return this + h
    }
    val e = shouldThrow<ShapeException> {
      model("m") { input("x", F32, "batch", 64).residual() }
    }
    e.message!!.atLine(line)
  }
})
