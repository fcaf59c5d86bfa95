package dev.kiln.runtime.train;

import static org.junit.jupiter.api.Assertions.assertNull;

import dev.kiln.runtime.autodiff.GradientChecker;
import dev.kiln.spec.HostTensor;
import dev.kiln.spec.KilnException;
import dev.kiln.spec.ir.Graph;
import dev.kiln.spec.ir.GraphBuilder;
import dev.kiln.spec.ir.Value;
import dev.kiln.spec.ops.Ops;
import java.util.Map;
import java.util.Random;
import java.util.function.DoubleSupplier;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * Every loss is trainable: Autodiff's gradient of the loss with respect to the prediction matches
 * central finite differences (f64, ONNX Runtime). Targets are constants, so only the prediction is an input.
 * Skipped while an op on the path has no VJP yet (see {@link #check}).
 */
class LossGradientTest {
  private final Random rnd = new Random(77);

  private HostTensor f64(int rows, int cols, DoubleSupplier s) {
    double[] v = new double[rows * cols];
    for (int i = 0; i < v.length; i++) v[i] = s.getAsDouble();
    return HostTensor.ofDoubles(v, rows, cols);
  }

  private HostTensor labels(int rows, int classes) {
    long[] v = new long[rows];
    for (int i = 0; i < rows; i++) v[i] = rnd.nextInt(classes);
    return HostTensor.ofLongs(v, rows);
  }

  private HostTensor softTargets(int rows, int classes) {
    double[] v = new double[rows * classes];
    for (int r = 0; r < rows; r++) {
      double sum = 0;
      for (int c = 0; c < classes; c++) sum += v[r * classes + c] = rnd.nextDouble() + 0.05;
      for (int c = 0; c < classes; c++) v[r * classes + c] /= sum;
    }
    return HostTensor.ofDoubles(v, rows, classes);
  }

  private static void check(Loss loss, HostTensor prediction, HostTensor target) {
    GraphBuilder b = new GraphBuilder("loss");
    Value p = b.input("prediction", prediction.type());
    Value t = Ops.constant(b, target);
    Value l = loss.build(b, p, t);
    b.output(l);
    Graph g = b.build();
    String problem;
    try {
      problem = GradientChecker.check(g, l, Map.of("prediction", prediction));
    } catch (KilnException e) {
      // The VJPs of Sub, Mul, Div, Exp, Log, LogSoftmax, ReduceMean... come from the vjp-math branch;
      // until it is merged this test is skipped, then it runs.
      Assumptions.assumeFalse(String.valueOf(e.getMessage()).contains("no gradient rule"), e.getMessage());
      throw e;
    }
    assertNull(problem, String.valueOf(loss));
  }

  @Test void regression() {
    HostTensor p = f64(4, 3, () -> rnd.nextGaussian() * 1.5);
    HostTensor t = f64(4, 3, () -> rnd.nextGaussian() * 1.5);
    check(Losses.mse(Reduction.MEAN), p, t);
    check(Losses.l1(Reduction.SUM), p, t);
    check(Losses.huber(0.7, Reduction.MEAN), p, t);
  }

  @Test void binary() {
    HostTensor t = f64(4, 3, () -> rnd.nextBoolean() ? 1 : 0);
    check(Losses.bce(Reduction.MEAN), f64(4, 3, () -> 0.05 + 0.9 * rnd.nextDouble()), t);
    check(Losses.bceWithLogits(Reduction.SUM), f64(4, 3, () -> rnd.nextGaussian() * 3), t);
  }

  @Test void crossEntropy() {
    HostTensor logits = f64(6, 5, () -> rnd.nextGaussian() * 2);
    check(Losses.softmaxCrossEntropy(Reduction.MEAN).weights(0.5, 2, 1, 0.25, 1.5).labelSmoothing(0.2), logits, labels(6, 5));
    check(Losses.softmaxCrossEntropy(Reduction.SUM).labelSmoothing(0.1), logits, softTargets(6, 5));
    check(Losses.nll(Reduction.MEAN).weights(1, 2, 3, 4, 5), logits, labels(6, 5));
  }

  @Test void hingeAndKl() {
    HostTensor logits = f64(6, 5, () -> rnd.nextGaussian() * 2);
    check(Losses.multiclassHinge(Reduction.MEAN, new double[] {0.5, 2, 1, 0.25, 1.5}), logits, labels(6, 5));
    check(Losses.klDiv(Reduction.BATCHMEAN), logits, softTargets(6, 5));
  }
}
