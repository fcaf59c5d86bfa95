package dev.kiln.dsl.kotlin

import ai.onnxruntime.OnnxTensor
import ai.onnxruntime.OrtEnvironment
import ai.onnxruntime.OrtSession
import dev.kiln.compiler.onnx.OnnxExporter
import dev.kiln.dsl.DTypes.F32
import io.kotest.assertions.withClue
import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.shouldBe
import io.kotest.property.Arb
import io.kotest.property.PropTestConfig
import io.kotest.property.arbitrary.int
import io.kotest.property.arbitrary.list
import io.kotest.property.arbitrary.long
import io.kotest.property.checkAll
import java.nio.FloatBuffer
import kotlin.random.Random

/**
 * The round trips of [ShapePropertiesTest] on values: transpose then inverse transpose, split then concat, and
 * flatten then reshape back must each return the input unchanged when the exported model runs in ONNX Runtime.
 */
class RoundTripValuesTest : FunSpec({
  test("transpose/inverse, split/concat and flatten/reshape are the identity on values") {
    val env = OrtEnvironment.getEnvironment()
    checkAll(25, PropTestConfig(seed = 7), Arb.list(Arb.int(1..4), 1..4), Arb.long()) { shape, seed ->
      val rnd = Random(seed)
      val dims = shape.map { it.toLong() }
      val perm = shape.indices.shuffled(rnd).toIntArray()
      val inverse = IntArray(perm.size).also { inv -> perm.forEachIndexed { i, p -> inv[p] = i } }
      val axis = rnd.nextInt(shape.size)
      val sizes = mutableListOf<Int>()
      var left = shape[axis]
      while (left > 0) { val s = rnd.nextInt(1, left + 1); sizes += s; left -= s }
      val flattenAt = rnd.nextInt(shape.size + 1)

      val m = model("roundtrip") {
        val x = input("x", F32, *shape.toTypedArray())
        output("transposed", x.transpose(*perm).transpose(*inverse))
        output("split", concat(axis, x.split(axis, *sizes.toIntArray())))
        output("flattened", x.flatten(flattenAt).reshape(*dims.toTypedArray<Any>()))
      }
      val data = FloatArray(dims.fold(1L, Long::times).toInt()) { rnd.nextFloat() - 0.5f }
      env.createSession(OnnxExporter.toBytes(m.graph()), OrtSession.SessionOptions()).use { s ->
        OnnxTensor.createTensor(env, FloatBuffer.wrap(data), dims.toLongArray()).use { x ->
          s.run(mapOf("x" to x)).use { r ->
            for (name in listOf("transposed", "split", "flattened")) {
              val out = r.get(name).get() as OnnxTensor
              val got = FloatArray(data.size).also { out.floatBuffer.get(it) }
              withClue("$name of $shape (perm ${perm.toList()}, split $axis into $sizes, flatten at $flattenAt)") {
                out.info.shape.toList() shouldBe dims
                got.toList() shouldBe data.toList()
              }
            }
          }
        }
      }
    }
  }
})
