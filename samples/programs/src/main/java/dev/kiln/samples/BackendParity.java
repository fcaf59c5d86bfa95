package dev.kiln.samples;

import dev.kiln.dsl.Model;
import dev.kiln.models.LeNet5;
import dev.kiln.models.Mlp;
import dev.kiln.models.ResNet;
import dev.kiln.models.RowLstmClassifier;
import dev.kiln.models.TransformerClassifier;
import dev.kiln.runtime.data.Dataset;
import dev.kiln.runtime.data.FashionMnist;
import dev.kiln.runtime.train.Backend;
import dev.kiln.runtime.train.Backends;
import dev.kiln.runtime.train.GraphSchedule;
import dev.kiln.runtime.train.Losses;
import dev.kiln.runtime.train.Optimizer;
import dev.kiln.runtime.train.Optimizers;
import dev.kiln.runtime.train.Reduction;
import dev.kiln.runtime.train.Schedules;
import dev.kiln.runtime.train.Trainer;
import dev.kiln.runtime.train.TrainingCallback;
import dev.kiln.spec.DType;
import dev.kiln.spec.HostTensor;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Supplier;

/**
 * The long parity check of docs/onnx-training.md: each zoo model trained on Fashion-MNIST through the same
 * {@link Trainer} on the TensorFlow and the ONNX Runtime back ends (same seed, same shuffles, dropout masks
 * included), 200 steps of 32 by default, then both trained models scored on the 10,000 test images; and the same steps
 * in lock step ({@link LockStep}: before each step the ONNX Runtime trainer takes the TensorFlow trainer's state, so
 * each step's loss and update are compared on the same state). Prints one line a run and exits 1 when a run misses
 * the bounds (lock step: 1e-4 relative per step for the loss; 0.5 test accuracy points). Free-running
 * losses drift apart further where training amplifies f32 rounding (docs/onnx-training.md); they are printed, not
 * bounded. Every optimizer and three schedules are covered.
 *
 * <pre>java ... dev.kiln.samples.BackendParity [steps] [batch] [fashion-mnist dir]</pre>
 */
public final class BackendParity {
  private BackendParity() {}

  /** One run: a model, its input shape per example, an optimizer with its schedule, and how many epochs the steps make. */
  record Run(String name, Supplier<Model> model, long[] perExample, Optimizer optimizer, GraphSchedule schedule, int epochs) {}

  /** The figures of one run. */
  record Result(String name, int steps, double worst, int worstStep, double tfLoss, double ortLoss, double tfAcc, double ortAcc,
                double tfSeconds, double ortSeconds, LockStep.Figures lock) {
    /** The bounds: each step's loss in lock step within 1e-4 relative, test accuracies within 0.5 points. */
    boolean ok() { return lock.worstLoss() <= 1e-4 && Math.abs(tfAcc - ortAcc) * 100 <= 0.5; }

    @Override public String toString() {
      return String.format(Locale.ROOT, "[parity] %-22s %3d steps: lock step: loss %.1e, update median %.1e worst %.1e (step %d); free running: loss %.1e"
          + " (step %d), final TF %.5f ORT %.5f; test accuracy TF %.4f ORT %.4f (%.2f points); %.0f s / %.0f s%s", name, steps,
          lock.worstLoss(), lock.medianUpdate(), lock.worstUpdate(), lock.worstUpdateStep(), worst, worstStep, tfLoss, ortLoss, tfAcc, ortAcc,
          Math.abs(tfAcc - ortAcc) * 100, tfSeconds, ortSeconds, ok() ? "" : "  FAILS");
    }
  }

  static List<Run> runs(int steps) {
    long[] flat = {784};
    long[] image = {1, 28, 28};
    long[] rows = {28, 28};
    return List.of(
        new Run("mlp sgd+wd cosine", () -> Mlp.build(1), flat, Optimizers.sgd(1e-4), Schedules.cosine(0.05, steps, 0), 1),
        new Run("mlp momentum cosine", () -> Mlp.build(1), flat, Optimizers.momentum(0.9), Schedules.cosine(0.01, steps, 0), 1),
        new Run("mlp adagrad stepdecay", () -> Mlp.build(1), flat, Optimizers.adagrad(1e-10), Schedules.stepDecay(0.02, 1, 0.5), 2),
        new Run("lenet5 adam cosine", () -> LeNet5.build(1), image, Optimizers.adam(0.9, 0.999, 1e-8), Schedules.cosine(1e-3, steps, 0), 1),
        new Run("resnet nesterov cosine", () -> ResNet.build(1, new long[] {8, 16}, 1), image, Optimizers.nesterov(0.9),
            Schedules.cosine(0.02, steps, 0), 1),
        new Run("lstm rmsprop constant", () -> RowLstmClassifier.build(1), rows, Optimizers.rmsprop(0.99, 1e-8), Schedules.constant(1e-3), 1),
        // The transformer keeps PyTorch's dropout 0.1: the masks are the same on both back ends.
        new Run("transformer adamw cos", () -> TransformerClassifier.build(1, 28, 28, 4, 64, 1, 10), rows,
            Optimizers.adamw(0.9, 0.999, 1e-8, 0.01), Schedules.cosine(1e-3, steps, 0), 1));
  }

  public static void main(String[] args) {
    int steps = args.length > 0 ? Integer.parseInt(args[0]) : 200;
    int batch = args.length > 1 ? Integer.parseInt(args[1]) : 32;
    FashionMnist data = FashionMnist.load(args.length > 2 ? Path.of(args[2]) : FashionMnist.DEFAULT_DIR);
    boolean ok = true;
    for (Run r : runs(steps)) {
      Result res = run(r, data, steps, batch);
      System.out.println(res);
      ok &= res.ok();
    }
    System.exit(ok ? 0 : 1);
  }

  static Dataset shaped(Dataset d, int n, long[] perExample) {
    int[] idx = new int[n];
    for (int i = 0; i < n; i++) idx[i] = i;
    Dataset s = d.subset(idx);
    long[] shape = new long[perExample.length + 1];
    shape[0] = n;
    System.arraycopy(perExample, 0, shape, 1, perExample.length);
    return new Dataset(s.features().reshape(shape), s.labels());
  }

  static Result run(Run r, FashionMnist data, int steps, int batch) {
    Dataset train = shaped(data.train(), steps / r.epochs() * batch, r.perExample());
    Dataset test = shaped(data.test(), data.test().size(), r.perExample());
    List<Double> tf = new ArrayList<>();
    List<Double> ort = new ArrayList<>();
    double[] tfFig = train(r, Backends.named("tensorflow"), train, test, batch, tf);
    double[] ortFig = train(r, Backends.named("onnxruntime"), train, test, batch, ort);
    double worst = 0;
    int worstStep = 0;
    for (int i = 0; i < tf.size(); i++) {
      double d = Math.abs(tf.get(i) - ort.get(i)) / Math.abs(tf.get(i));
      if (d > worst) { worst = d; worstStep = i + 1; }
    }
    LockStep.Figures lock = LockStep.run(() -> trainer(r, Backends.named("tensorflow"), new ArrayList<>()),
        () -> trainer(r, Backends.named("onnxruntime"), new ArrayList<>()), train, r.epochs(), batch, 7);
    return new Result(r.name(), tf.size(), worst, worstStep, tf.get(tf.size() - 1), ort.get(ort.size() - 1), tfFig[0], ortFig[0],
        tfFig[1], ortFig[1], lock);
  }

  /** Trains on {@code backend}, collecting per-step losses; returns the test accuracy and the training seconds. */
  static Trainer trainer(Run r, Backend backend, List<Double> losses) {
    return Trainer.builder(r.model().get()).loss(Losses.softmaxCrossEntropy(Reduction.MEAN), "logits")
        .optimizer(r.optimizer()).schedule(r.schedule()).seed(7).labels(DType.I64).backend(backend).progress(false)
        .callbacks(new TrainingCallback() {
          @Override public void onStepEnd(Trainer tr, long step, double loss) { losses.add(loss); }
        }).build();
  }

  static double[] train(Run r, Backend backend, Dataset train, Dataset test, int batch, List<Double> losses) {
    try (Trainer t = trainer(r, backend, losses)) {
      long t0 = System.nanoTime();
      t.fit(train, null, r.epochs(), batch);
      double seconds = (System.nanoTime() - t0) / 1e9;
      return new double[] {accuracy(t, test), seconds};
    }
  }

  static double accuracy(Trainer t, Dataset test) {
    int right = 0;
    int n = test.size();
    for (int from = 0; from < n; from += 1000) {
      int to = Math.min(n, from + 1000);
      int[] idx = new int[to - from];
      for (int i = 0; i < idx.length; i++) idx[i] = from + i;
      Dataset part = test.subset(idx);
      HostTensor logits = t.predict(part.features());
      float[] v = logits.toFloats();
      int classes = (int) logits.shape()[1];
      for (int i = 0; i < idx.length; i++) {
        int best = 0;
        for (int c = 1; c < classes; c++) if (v[i * classes + c] > v[i * classes + best]) best = c;
        if (best == part.labels().getLong(i)) right++;
      }
    }
    return right / (double) n;
  }
}
