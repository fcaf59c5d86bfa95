package dev.kiln.samples.kotlin

import dev.kiln.dsl.Model
import dev.kiln.runtime.data.Dataset
import dev.kiln.runtime.data.FashionMnist
import dev.kiln.runtime.onnx.OnnxRuntimeModel
import dev.kiln.runtime.train.History
import dev.kiln.runtime.train.Metric
import dev.kiln.runtime.train.kotlin.accuracy
import dev.kiln.runtime.train.kotlin.adam
import dev.kiln.runtime.train.kotlin.crossEntropy
import dev.kiln.runtime.train.kotlin.fit
import dev.kiln.runtime.train.kotlin.trainer
import dev.kiln.spec.KilnException
import dev.kiln.spec.ir.TrainingForm
import java.io.PrintWriter
import java.nio.file.Path

/** What [FashionMnistTraining.run] measured. */
data class FashionMnistResult(
  /** Per-epoch losses and validation metrics. */
  val history: History,
  /** Test accuracy of the trained model on TensorFlow. */
  val tfAccuracy: Double,
  /** Test accuracy of the exported ONNX file in ONNX Runtime. */
  val onnxAccuracy: Double,
  /** Max |TF - ONNX Runtime| over the outputs of the first test batch (checked by exportAndVerify: within 1e-4 relative plus 1e-5 times the largest output magnitude). */
  val maxDifference: Double,
  /** The exported model. */
  val onnx: Path,
)

/** The training settings `kiln train` passes on; the defaults are the sample recipe. */
data class FashionMnistSettings(
  val epochs: Int = 5,
  val batchSize: Int = 128,
  val learningRate: Double = 1e-3,
  val seed: Long = 42,
  /** Train on the first [trainLimit] training examples only (all when null): quick runs and tests. */
  val trainLimit: Int? = null,
  /** Evaluate on the first [testLimit] test examples only (all when null). */
  val testLimit: Int? = null,
)

/**
 * Trains a Fashion-MNIST classifier with the Kotlin training DSL (Adam, softmax cross-entropy, accuracy),
 * exports it to ONNX and evaluates the ONNX file in ONNX Runtime on the test set. The model has one input
 * (f32 [batch, 784] or [batch, 1, 28, 28]: the layout is read off the input's rank) and one output of
 * logits [batch, 10]; any such model works, the Java sample `mlp` included.
 */
object FashionMnistTraining {
  /** Runs the recipe on [model] with the data in [dataDir]; prints the history and accuracies on [out]. */
  @JvmStatic
  fun run(model: Model, dataDir: Path, onnx: Path, settings: FashionMnistSettings, out: PrintWriter): FashionMnistResult {
    val graph = model.graph()
    // A model with dropout also reads the trainer's step counter (its random masks are keyed by it): not data.
    val inputs = graph.inputs().filter { it.name() != TrainingForm.STEP }
    if (inputs.size != 1 || graph.outputs().size != 1) {
      throw KilnException("model ${graph.name()} needs one input and one output to train on Fashion-MNIST, has " +
        "inputs $inputs and outputs ${graph.outputs()}")
    }
    val input = inputs.single()
    val output = graph.outputs().single().name()
    val asImages = input.type().rank() == 4
    val data = FashionMnist.load(dataDir, asImages)
    val train = data.train().first(settings.trainLimit)
    val test = data.test().first(settings.testLimit)
    out.println("Fashion-MNIST: ${train.size()} train, ${test.size()} test examples; model ${graph.name()} " +
      "(${input.name()}: ${input.type()})")
    out.flush()
    return trainer(model) {
      optimizer = adam(lr = settings.learningRate)
      loss = crossEntropy()
      this.output = output
      seed = settings.seed
      metrics(accuracy())
    }.use { t ->
      val history = t.fit(train, validation = test, epochs = settings.epochs, batchSize = settings.batchSize)
      out.print(history)
      val tfAccuracy = t.evaluate(test, 1000).getValue("accuracy")
      val diff = t.exportAndVerify(onnx, test.first(256))
      val ortAccuracy = onnxAccuracy(onnx, input.name(), output, test)
      val trainedOn = if (t.backend().name() == "tensorflow") "TensorFlow" else t.backend().name()
      out.println("test accuracy (%s):   %.4f".format(trainedOn, tfAccuracy))
      out.println("test accuracy (ONNX Runtime): %.4f   (%s; max |TF - ORT| on 256 examples %.2e)".format(ortAccuracy, onnx, diff))
      out.flush()
      FashionMnistResult(history, tfAccuracy, ortAccuracy, diff, onnx)
    }
  }

  /** Top-1 accuracy of the ONNX file in ONNX Runtime over [test], in batches of 1000. */
  private fun onnxAccuracy(onnx: Path, input: String, output: String, test: Dataset): Double {
    val acc: Metric = accuracy()
    OnnxRuntimeModel.load(onnx).use { m ->
      for (b in test.batches(1000, false, 0)) acc.update(m.run(mapOf(input to b.features())).getValue(output), b.labels())
    }
    return acc.result()
  }

  private fun Dataset.first(n: Int?): Dataset =
    if (n == null || n >= size()) this else subset(IntArray(n) { it })
}
