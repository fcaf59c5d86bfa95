package dev.kiln.dsl.kotlin

import dev.kiln.dsl.Conv
import dev.kiln.dsl.DTypes.F32
import dev.kiln.dsl.DTypes.I64
import dev.kiln.dsl.Model
import dev.kiln.dsl.Padding
import dev.kiln.dsl.layers.BatchNorm
import dev.kiln.dsl.layers.Conv2d
import dev.kiln.dsl.layers.MaxPool2d
import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.shouldBe

/**
 * The Kotlin forms of the activation and layer additions (transposed and separable convolutions, 1-D/3-D
 * pooling, adaptive pooling, embedding, PReLU): each builds the same IR as the Java call it delegates to.
 */
class NewLayersTest : FunSpec({
  fun Model.params() = graph().parameters().associate { it.name() to it.value().type().toString() }

  test("named-argument layers build what the Java options build") {
    val k = model("k", seed = 1) {
      val x = input("x", F32, "batch", 4, 8, 8)
      x.convTranspose2d("up", out = 6, kernel = 3, stride = 2, padding = pad(1), outputPadding = 1)
        .separableConv2d("sep", out = 5, kernel = 3, padding = SAME)
        .prelu("act")
        .adaptiveAvgPool2d(3)
    }
    val j = Model.build("k", 1) { m ->
      val x = m.input("x", F32, "batch", 4, 8, 8)
      val y = x.convTranspose2d("up", Conv.out(6).kernel(3).stride(2).padding(Padding.explicit(1)).outputPadding(1))
        .separableConv2d("sep", Conv.out(5).kernel(3).padding(Padding.SAME))
      m.prelu("act", y).adaptiveAvgPool2d(3, 3)
    }
    k.toText() shouldBe j.toText()
    k.params() shouldBe mapOf(
      "up.weight" to "f32[4, 6, 3, 3]", "up.bias" to "f32[6]",
      "sep.depthwise.weight" to "f32[6, 1, 3, 3]",
      "sep.pointwise.weight" to "f32[5, 6, 1, 1]", "sep.pointwise.bias" to "f32[5]",
      "act.weight" to "f32[5, 1, 1]",
    )
    k.graph().outputs()[0].type().toString() shouldBe "f32[batch, 5, 3, 3]"
  }

  test("pooling over 1 and 3 spatial axes") {
    val m = model("p") {
      output("a", input("x", F32, 2, 3, 9).maxPool1d(kernel = 3).avgPool1d(kernel = 2, stride = 1))
      output("b", input("v", F32, 2, 3, 4, 4, 4).maxPool3d(kernel = 2).avgPool3d(kernel = 2))
    }
    m.graph().outputs().map { it.type().toString() } shouldBe listOf("f32[2, 3, 2]", "f32[2, 3, 1, 1, 1]")
  }

  test("sequential blocks take the Java layer classes as they are") {
    val k = model("s", seed = 3) {
      sequential(input("x", F32, "batch", 1, 8, 8), name = "features") {
        +layer("c1", Conv2d.of(4, 3).padding(SAME))
        +relu()
        +layer(MaxPool2d.of(2))
        +layer("bn", BatchNorm.of())
      }
    }
    val j = Model.build("s", 3) { m ->
      m.block("features") { m.input("x", F32, "batch", 1, 8, 8).conv2d("c1", Conv.out(4).kernel(3).padding(Padding.SAME)).relu().maxPool2d(2).batchNorm("bn") }
    }
    k.toText() shouldBe j.toText()
  }

  test("embedding looks ids up in name.weight; activations compose") {
    val m = model("e") {
      input("ids", I64, "batch", 7).embedding("tok", vocab = 100, dim = 16).gelu().silu().elu(0.5).maxout(1)
    }
    m.params() shouldBe mapOf("tok.weight" to "f32[100, 16]")
    m.graph().outputs()[0].type().toString() shouldBe "f32[batch, 7, 16]"
  }
})
