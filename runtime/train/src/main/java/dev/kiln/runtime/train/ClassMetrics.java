package dev.kiln.runtime.train;

import dev.kiln.spec.HostTensor;
import java.util.function.ToDoubleFunction;

/**
 * Trainer metrics computed from a confusion matrix over an epoch ({@link ClassificationReport}): macro and micro
 * precision, recall and F1; and {@link RocAuc} for binary tasks. Names ({@code f1_macro}, ...) are the history
 * columns; {@link EarlyStopping} and {@link ReduceLROnPlateau} maximise them.
 */
public final class ClassMetrics {
  private ClassMetrics() {}

  public static Metric precisionMacro(int classes) { return of("precision_macro", classes, ClassificationReport::macroPrecision); }

  public static Metric recallMacro(int classes) { return of("recall_macro", classes, ClassificationReport::macroRecall); }

  public static Metric f1Macro(int classes) { return of("f1_macro", classes, ClassificationReport::macroF1); }

  public static Metric f1Micro(int classes) { return of("f1_micro", classes, ClassificationReport::microF1); }

  /** The recall of one class ({@code recall_<c>}), e.g. a minority class in imbalanced training. */
  public static Metric recall(int classes, int c) { return of("recall_" + c, classes, r -> r.recall(c)); }

  public static Metric rocAuc() { return new RocAuc(); }

  private static Metric of(String name, int classes, ToDoubleFunction<ClassificationReport> f) {
    ConfusionMatrix m = new ConfusionMatrix(classes);
    return new Metric() {
      @Override public String name() { return name; }

      @Override public void update(HostTensor predictions, HostTensor labels) { m.update(predictions, labels); }

      @Override public double result() {
        long total = 0;
        for (long[] row : m.counts()) for (long v : row) total += v;
        return total == 0 ? Double.NaN : f.applyAsDouble(ClassificationReport.of(m));
      }

      @Override public void reset() { m.reset(); }
    };
  }
}
