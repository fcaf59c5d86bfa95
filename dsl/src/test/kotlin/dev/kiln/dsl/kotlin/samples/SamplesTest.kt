package dev.kiln.dsl.kotlin.samples

import ai.onnx.proto.OnnxMl.ModelProto
import dev.kiln.compiler.onnx.OnnxExporter
import dev.kiln.compiler.onnx.OnnxText
import dev.kiln.dsl.Model
import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.collections.shouldContainExactly
import io.kotest.matchers.shouldBe
import io.kotest.matchers.shouldNotBe
import java.nio.file.Files

/** The Kotlin samples build the same IR as their Java twins and export to ONNX files that parse back. */
class SamplesTest : FunSpec({
  val pairs = listOf(
    "mlp" to (Samples.mlp() to JavaSamples.mlp(Model.DEFAULT_SEED)),
    "cnn" to (Samples.cnn() to JavaSamples.cnn(Model.DEFAULT_SEED)),
  )

  for ((name, models) in pairs) {
    val (kt, java) = models
    test("$name: the Kotlin graph equals the Java graph, initial values included") {
      kt.toText() shouldBe java.toText()
      kt.graph().parameters().map { it.initial() } shouldBe java.graph().parameters().map { it.initial() }
    }

    test("$name: exports to an ONNX file that loads back as the same model") {
      val dir = Files.createTempDirectory("kiln-kotlin-$name")
      try {
        val file = dir.resolve("$name.onnx")
        OnnxExporter.write(kt.graph(), file)
        val loaded = ModelProto.parseFrom(Files.readAllBytes(file))
        OnnxText.of(loaded) shouldBe OnnxText.of(OnnxExporter.export(java.graph()))
        loaded.graph.initializerList.map { it.name } shouldContainExactly kt.graph().parameters().map { it.name() }
        loaded.graph.nodeCount shouldNotBe 0
      } finally {
        dir.toFile().deleteRecursively()
      }
    }
  }

  test("cnn: the explicit output is the only output, with the shape the layers give") {
    val out = Samples.cnn().graph().outputs()
    out.map { it.name() } shouldContainExactly listOf("logits")
    out[0].type().shape().toString() shouldBe "[batch, 10]"
    Samples.cnn().graph().parameter("features.c2.weight").get().value().type().shape().toString() shouldBe "[16, 8, 3, 3]"
  }

  test("seeds reach the parameters: another seed, other weights, the same as Java's") {
    fun initials(m: Model) = m.graph().parameters().map { it.initial() }
    initials(Samples.mlp(7)) shouldBe initials(JavaSamples.mlp(7))
    initials(Samples.mlp(7)) shouldNotBe initials(Samples.mlp(8))
    Samples.mlp(7).graph().metadata()["kiln.seed"] shouldBe "7"
  }
})
