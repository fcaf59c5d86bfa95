package dev.kiln.stories

import dev.kiln.dsl.DTypes.F32
import dev.kiln.dsl.Model
import dev.kiln.dsl.kotlin.SAME
import dev.kiln.dsl.kotlin.batchNorm
import dev.kiln.dsl.kotlin.conv2d
import dev.kiln.dsl.kotlin.linear
import dev.kiln.dsl.kotlin.maxPool2d
import dev.kiln.dsl.kotlin.model
import dev.kiln.runtime.data.Dataset
import dev.kiln.runtime.data.FashionMnist
import dev.kiln.runtime.onnx.OnnxRuntimeModel
import dev.kiln.runtime.train.kotlin.accuracy
import dev.kiln.runtime.train.kotlin.adam
import dev.kiln.runtime.train.kotlin.crossEntropy
import dev.kiln.runtime.train.kotlin.fit
import dev.kiln.runtime.train.kotlin.trainer
import java.io.PrintStream
import java.nio.file.Path

/**
 * Story (a): a CNN written in Kotlin, trained on Fashion-MNIST with the TensorFlow back end, exported to ONNX (the
 * export checked against TensorFlow on a test batch) and scored in ONNX Runtime. Only kiln-dsl, kiln-train,
 * kiln-tensorflow and kiln-onnxruntime.
 */
object FashionCnnStory {
  /** What a run measured. */
  data class Result(val tensorflowAccuracy: Double, val onnxRuntimeAccuracy: Double, val maxDifference: Double)

  /** The network: two conv-BN-ReLU-pool stages and a linear classifier; a shape mistake here names this line. */
  @JvmStatic
  fun cnn(seed: Long): Model = model("fashion_cnn", seed) {
    val image = input("image", F32, "batch", 1, 28, 28)
    val h = image.conv2d("conv1", out = 16, kernel = 3, padding = SAME).batchNorm("bn1").relu().maxPool2d(2)
      .conv2d("conv2", out = 32, kernel = 3, padding = SAME).batchNorm("bn2").relu().maxPool2d(2)
      .flatten()
    output("logits", h.linear("fc", 10))
  }

  /** Trains on the first [trainSize] training images for [epochs] epochs; writes [onnx]. */
  @JvmStatic
  fun run(data: Path, trainSize: Int, epochs: Int, onnx: Path, out: PrintStream): Result {
    val mnist = FashionMnist.load(data, true)
    val train = mnist.train().subset(IntArray(trainSize) { it })
    val test = mnist.test().subset(IntArray(2000) { it })
    trainer(cnn(42)) {
      optimizer = adam(lr = 1e-3)
      loss = crossEntropy()
      output = "logits"
      seed = 42
      metrics(accuracy())
    }.use { t ->
      val history = t.fit(train, validation = test, epochs = epochs, batchSize = 64)
      out.print(history)
      val tf = t.evaluate(test, 500).getValue("accuracy")
      // Written only when ONNX Runtime agrees with TensorFlow on these examples.
      val diff = t.exportAndVerify(onnx, test.subset(IntArray(128) { it }))
      val ort = onnxAccuracy(onnx, test)
      out.println("test accuracy: TensorFlow %.4f, ONNX Runtime %.4f (%s, max |TF - ORT| %.2e)".format(tf, ort, onnx, diff))
      return Result(tf, ort, diff)
    }
  }

  private fun onnxAccuracy(onnx: Path, test: Dataset): Double {
    val acc = accuracy()
    OnnxRuntimeModel.load(onnx).use { m ->
      for (b in test.batches(500, false, 0)) acc.update(m.run(mapOf("image" to b.features())).getValue("logits"), b.labels())
    }
    return acc.result()
  }

  /** `scripts/story fashion-cnn [data dir] [training images] [epochs] [out.onnx]`. */
  @JvmStatic
  fun main(args: Array<String>) {
    val data = if (args.isNotEmpty()) Path.of(args[0]) else FashionMnist.DEFAULT_DIR
    run(data, args.getOrNull(1)?.toInt() ?: 10000, args.getOrNull(2)?.toInt() ?: 2,
      Path.of(args.getOrNull(3) ?: "fashion_cnn.onnx"), System.out)
  }
}
