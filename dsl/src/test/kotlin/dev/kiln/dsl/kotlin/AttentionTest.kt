package dev.kiln.dsl.kotlin

import dev.kiln.dsl.DTypes.BOOL
import dev.kiln.dsl.DTypes.F32
import dev.kiln.dsl.Model
import dev.kiln.dsl.ModelBuilder
import dev.kiln.dsl.Transformer
import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.shouldBe

/** The Kotlin forms of the attention layers build the same IR as the Java calls they delegate to. */
class AttentionTest : FunSpec({
  test("named-argument attention layers build what the Java options build") {
    val k = model("k", seed = 1) {
      val x = input("x", F32, "batch", 6, 8)
      val pad = input("pad", BOOL, "batch", 6)
      val h = x.sinusoidalPositions().transformerEncoder("enc", layers = 2, heads = 2, feedForward = 16, dropout = 0.0,
        normFirst = true, gelu = true, keyPaddingMask = pad)
      h.multiHeadAttention("attn", heads = 4, causal = true).attention(h, h)
    }
    val j = Model.build("k", 1) { m ->
      val x = m.input("x", F32, "batch", 6, 8)
      val pad = m.input("pad", BOOL, "batch", 6)
      val h = m.transformerEncoder("enc", m.sinusoidalPositions(x), 2, Transformer.heads(2).feedForward(16).dropout(0.0).normFirst(true).gelu(), pad)
      ModelBuilder.scaledDotProductAttention(m.multiHeadAttention("attn", h, h, h, 4, null, true, 0.0), h, h, null, false)
    }
    k.toText() shouldBe j.toText()
  }
})
