package dev.kiln.models;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.kiln.dsl.Model;
import dev.kiln.runtime.data.Dataset;
import dev.kiln.runtime.onnx.OnnxRuntimeBackend;
import dev.kiln.runtime.tf.TensorFlowBackend;
import dev.kiln.runtime.train.Backend;
import dev.kiln.runtime.train.Losses;
import dev.kiln.runtime.train.Optimizer;
import dev.kiln.runtime.train.Optimizers;
import dev.kiln.runtime.train.Reduction;
import dev.kiln.runtime.train.Schedules;
import dev.kiln.runtime.train.Trainer;
import dev.kiln.runtime.train.TrainingCallback;
import dev.kiln.spec.DType;
import dev.kiln.spec.HostTensor;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The model zoo trained through the same {@link Trainer} on the TensorFlow and the ONNX Runtime back ends (same seed,
 * same shuffles): LeNet-5, the small ResNet (batch norm), the row-LSTM classifier and the transformer classifier (with
 * dropout) agree step by step within 1e-4 relative. Few steps on small batches keep the suite quick; longer runs are in
 * docs/onnx-training.md.
 */
class OrtBackendZooParityTest {
  static Stream<Arguments> models() {
    return Stream.of(
        Arguments.of("lenet5", (Supplier<Model>) () -> LeNet5.build(1), new long[] {1, 28, 28}, Optimizers.adam(0.9, 0.999, 1e-8)),
        Arguments.of("resnet", (Supplier<Model>) () -> ResNet.build(1, new long[] {8, 16}, 1), new long[] {1, 28, 28},
            Optimizers.nesterov(0.9)),
        Arguments.of("row_lstm", (Supplier<Model>) () -> RowLstmClassifier.build(1), new long[] {28, 28}, Optimizers.rmsprop(0.99, 1e-8)),
        Arguments.of("transformer", (Supplier<Model>) OrtBackendZooParityTest::transformer, new long[] {6, 16},
            Optimizers.adamw(0.9, 0.999, 1e-8, 0.01)));
  }

  /** {@link TransformerClassifier} with PyTorch's dropout 0.1: both back ends draw the same masks (DropoutMask). */
  static Model transformer() { return TransformerClassifier.build(1, 6, 16, 2, 32, 1, 10); }

  static Dataset data(long[] perExample, int n) {
    Random r = new Random(3);
    long per = 1;
    for (long d : perExample) per *= d;
    float[] x = new float[(int) (n * per)];
    for (int i = 0; i < x.length; i++) x[i] = (float) r.nextGaussian();
    long[] y = new long[n];
    for (int i = 0; i < n; i++) y[i] = r.nextInt(10);
    long[] shape = new long[perExample.length + 1];
    shape[0] = n;
    System.arraycopy(perExample, 0, shape, 1, perExample.length);
    return new Dataset(HostTensor.ofFloats(x, shape), HostTensor.ofLongs(y, n));
  }

  /** Epochs of 4 steps; -Dkiln.parity.epochs=50 makes the 200-step run of docs/onnx-training.md. */
  static final int EPOCHS = Integer.getInteger("kiln.parity.epochs", 2);

  static List<Double> losses(Model model, Backend backend, Optimizer opt, Dataset d) {
    List<Double> out = new ArrayList<>();
    try (Trainer t = Trainer.builder(model).loss(Losses.softmaxCrossEntropy(Reduction.MEAN), "logits").optimizer(opt)
        .schedule(Schedules.cosine(opt.describe().startsWith("nesterov") ? 0.05 : 3e-3, 4L * EPOCHS, 0)).seed(5).labels(DType.I64)
        .backend(backend).progress(false).callbacks(new TrainingCallback() {
          @Override public void onStepEnd(Trainer tr, long step, double loss) { out.add(loss); }
        }).build()) {
      t.fit(d, null, EPOCHS, 8);
      out.add(t.evaluate(d, 16).get("loss"));
    }
    return out;
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("models")
  void lossesAgreeStepByStep(String name, Supplier<Model> model, long[] perExample, Optimizer opt) {
    Dataset d = data(perExample, 32);
    List<Double> tf = losses(model.get(), TensorFlowBackend.instance(), opt, d);
    List<Double> ort = losses(model.get(), new OnnxRuntimeBackend(), opt, d);
    assertEquals(tf.size(), ort.size());
    double worst = 0;
    for (int i = 0; i < tf.size(); i++) worst = Math.max(worst, Math.abs(tf.get(i) - ort.get(i)) / Math.abs(tf.get(i)));
    System.out.printf("[parity] %s: %d steps, final loss TF %.6f ORT %.6f, worst relative difference %.2e%n", name, tf.size() - 1,
        tf.get(tf.size() - 2), ort.get(ort.size() - 2), worst);
    for (int i = 0; i < tf.size(); i++) {
      String what = i == tf.size() - 1 ? "evaluation loss after training" : "loss at step " + (i + 1);
      assertEquals(tf.get(i), ort.get(i), 1e-4 * Math.abs(tf.get(i)), name + ": " + what + " (TF " + tf + ", ORT " + ort + ")");
    }
  }
}
