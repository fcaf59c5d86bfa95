package dev.kiln.samples;

import dev.kiln.compiler.passes.WidenToF64;
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
import dev.kiln.spec.ir.Parameter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
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
 * <p>{@code --dtype float64} trains the f64 form of each model ({@link WidenToF64}: parameters, data, gradients and
 * optimizer state in f64), where the back ends' kernel rounding is ~1e-16 instead of ~1e-7, so the free-running losses
 * are bounded too (1e-4 relative per step, as the issue asks). {@code --only NAME} keeps the runs whose name starts so;
 * {@code --seed S} sets the weight seed (1) and the shuffle seed (7) to S and S + 6, for several-seed figures;
 * {@code --no-lock-step} skips the lock-step pass (free running only, half the time); {@code --trace} prints the
 * free-running loss difference every 10 steps (how fast it grows: a fixed-size difference against amplified rounding).
 *
 * <pre>java ... dev.kiln.samples.BackendParity [steps] [batch] [fashion-mnist dir] [--dtype float64] [--only NAME] [--seed S] [--no-lock-step] [--trace]</pre>
 */
public final class BackendParity {
  private BackendParity() {}

  /** One run: a model, its input shape per example, an optimizer with its schedule, and how many epochs the steps make. */
  record Run(String name, Supplier<Model> model, long[] perExample, Optimizer optimizer, GraphSchedule schedule, int epochs) {
    /** The same run on the f64 form of the model. */
    Run widened() { return new Run(name + " f64", () -> new Model(WidenToF64.run(model.get().graph())), perExample, optimizer, schedule, epochs); }
  }

  /** The figures of one run. */
  record Result(String name, int steps, double worst, int worstStep, double tfLoss, double ortLoss, double tfAcc, double ortAcc,
                double tfSeconds, double ortSeconds, LockStep.Figures lock, boolean f64, double crossAcc,
                int within) {
    /**
     * The bounds: each step's loss in lock step within 1e-4 relative (in f64 free running too), test accuracies within
     * 0.5 points.
     */
    boolean ok() { return (lock == null || lock.worstLoss() <= 1e-4) && (!f64 || worst <= 1e-4) && Math.abs(tfAcc - ortAcc) * 100 <= 0.5; }

    @Override public String toString() {
      String locked = lock == null ? "lock step: not run" : String.format(Locale.ROOT, "lock step: loss %.1e, update median %.1e worst %.1e (step %d)",
          lock.worstLoss(), lock.medianUpdate(), lock.worstUpdate(), lock.worstUpdateStep());
      return String.format(Locale.ROOT, "[parity] %-26s %3d steps: %s; free running: loss %.1e"
          + " (step %d; within 1e-4 for the first %d steps), final TF %.5f ORT %.5f; test accuracy TF %.4f ORT %.4f (%.2f points; TF's parameters scored on ORT %.4f); %.0f s / %.0f s%s",
          name, steps, locked, worst, worstStep, within, tfLoss, ortLoss, tfAcc, ortAcc, Math.abs(tfAcc - ortAcc) * 100, crossAcc, tfSeconds, ortSeconds, ok() ? "" : "  FAILS");
    }
  }

  static List<Run> runs(int steps, long seed) {
    long[] flat = {784};
    long[] image = {1, 28, 28};
    long[] rows = {28, 28};
    return List.of(
        new Run("mlp sgd+wd cosine", () -> Mlp.build(seed), flat, Optimizers.sgd(1e-4), Schedules.cosine(0.05, steps, 0), 1),
        new Run("mlp momentum cosine", () -> Mlp.build(seed), flat, Optimizers.momentum(0.9), Schedules.cosine(0.01, steps, 0), 1),
        new Run("mlp adagrad stepdecay", () -> Mlp.build(seed), flat, Optimizers.adagrad(1e-10), Schedules.stepDecay(0.02, 1, 0.5), 2),
        new Run("lenet5 adam cosine", () -> LeNet5.build(seed), image, Optimizers.adam(0.9, 0.999, 1e-8), Schedules.cosine(1e-3, steps, 0), 1),
        new Run("resnet nesterov cosine", () -> ResNet.build(seed, new long[] {8, 16}, 1), image, Optimizers.nesterov(0.9),
            Schedules.cosine(0.02, steps, 0), 1),
        new Run("lstm rmsprop constant", () -> RowLstmClassifier.build(seed), rows, Optimizers.rmsprop(0.99, 1e-8), Schedules.constant(1e-3), 1),
        // The LSTM again with a decaying rate: RMSProp at a constant rate is chaotic enough to part even in f64.
        new Run("lstm adam cosine", () -> RowLstmClassifier.build(seed), rows, Optimizers.adam(0.9, 0.999, 1e-8), Schedules.cosine(1e-3, steps, 0), 1),
        // The transformer keeps PyTorch's dropout 0.1: the masks are the same on both back ends.
        new Run("transformer adamw cos", () -> TransformerClassifier.build(seed, 28, 28, 4, 64, 1, 10), rows,
            Optimizers.adamw(0.9, 0.999, 1e-8, 0.01), Schedules.cosine(1e-3, steps, 0), 1));
  }

  /** The command line: steps, batch, data folder, then the options of the class comment. */
  record Options(int steps, int batch, Path data, boolean f64, String only, long seed, boolean lockStep, boolean trace) {
    static Options parse(String[] args) {
      List<String> plain = new ArrayList<>();
      boolean f64 = false;
      String only = "";
      long seed = 1;
      boolean lockStep = true;
      boolean trace = false;
      for (int i = 0; i < args.length; i++) {
        switch (args[i]) {
          case "--dtype" -> {
            String d = value(args, ++i, "--dtype");
            if (!d.equals("float64") && !d.equals("float32")) throw new IllegalArgumentException("--dtype takes float32 or float64, got " + d);
            f64 = d.equals("float64");
          }
          case "--only" -> only = value(args, ++i, "--only");
          case "--seed" -> seed = Long.parseLong(value(args, ++i, "--seed"));
          case "--no-lock-step" -> lockStep = false;
          case "--trace" -> trace = true;
          default -> plain.add(args[i]);
        }
      }
      return new Options(plain.size() > 0 ? Integer.parseInt(plain.get(0)) : 200, plain.size() > 1 ? Integer.parseInt(plain.get(1)) : 32,
          plain.size() > 2 ? Path.of(plain.get(2)) : FashionMnist.DEFAULT_DIR, f64, only, seed, lockStep, trace);
    }

    private static String value(String[] args, int i, String option) {
      if (i >= args.length) throw new IllegalArgumentException(option + " needs a value");
      return args[i];
    }
  }

  public static void main(String[] args) {
    Options o = Options.parse(args);
    FashionMnist data = FashionMnist.load(o.data());
    boolean ok = true;
    System.out.printf(Locale.ROOT, "[parity] %s, %d steps of %d, weight seed %d, shuffle seed %d%n", o.f64() ? "float64" : "float32",
        o.steps(), o.batch(), o.seed(), o.seed() + 6);
    for (Run r : runs(o.steps(), o.seed())) {
      if (!r.name().startsWith(o.only())) continue;
      Result res = run(o.f64() ? r.widened() : r, data, o, o.seed() + 6);
      System.out.println(res);
      ok &= res.ok();
    }
    System.exit(ok ? 0 : 1);
  }

  /** The first {@code n} examples shaped {@code perExample} each, their pixels widened to f64 when {@code f64}. */
  static Dataset shaped(Dataset d, int n, long[] perExample, boolean f64) {
    int[] idx = new int[n];
    for (int i = 0; i < n; i++) idx[i] = i;
    Dataset s = d.subset(idx);
    long[] shape = new long[perExample.length + 1];
    shape[0] = n;
    System.arraycopy(perExample, 0, shape, 1, perExample.length);
    HostTensor x = s.features().reshape(shape);
    return new Dataset(f64 ? WidenToF64.widen(x) : x, s.labels());
  }

  static Result run(Run r, FashionMnist data, Options o, long shuffleSeed) {
    int steps = o.steps();
    int batch = o.batch();
    boolean f64 = o.f64();
    Dataset train = shaped(data.train(), steps / r.epochs() * batch, r.perExample(), f64);
    Dataset test = shaped(data.test(), data.test().size(), r.perExample(), f64);
    List<Double> tf = new ArrayList<>();
    List<Double> ort = new ArrayList<>();
    Map<String, HostTensor> tfState = new HashMap<>();
    double[] tfFig = train(r, Backends.named("tensorflow"), train, test, batch, shuffleSeed, tf, tfState);
    double[] ortFig = train(r, Backends.named("onnxruntime"), train, test, batch, shuffleSeed, ort, new HashMap<>());
    double cross = crossScore(r, tfState, test);
    double worst = 0;
    int worstStep = 0;
    int within = tf.size();
    for (int i = 0; i < tf.size(); i++) {
      double d = Math.abs(tf.get(i) - ort.get(i)) / Math.abs(tf.get(i));
      if (d > worst) { worst = d; worstStep = i + 1; }
      if (d > 1e-4 && within == tf.size()) within = i;
      if (o.trace() && ((i + 1) % 10 == 0 || i == 0)) {
        System.out.printf(Locale.ROOT, "[trace] %s step %d: loss TF %.9f ORT %.9f, relative difference %.1e%n", r.name(), i + 1,
            tf.get(i), ort.get(i), d);
      }
    }
    LockStep.Figures lock = !o.lockStep() ? null : LockStep.run(() -> trainer(r, Backends.named("tensorflow"), shuffleSeed, new ArrayList<>()),
        () -> trainer(r, Backends.named("onnxruntime"), shuffleSeed, new ArrayList<>()), train, r.epochs(), batch, shuffleSeed);
    return new Result(r.name(), tf.size(), worst, worstStep, tf.get(tf.size() - 1), ort.get(ort.size() - 1), tfFig[0], ortFig[0],
        tfFig[1], ortFig[1], lock, f64, cross, within);
  }

  /**
   * The TensorFlow-trained parameters scored on ONNX Runtime: against TF's own score it shows how much of an accuracy
   * gap evaluation makes (ONNX Runtime scores with the exported inference graph, e.g. its native LSTM kernel), the
   * rest being the two trainings' drift.
   */
  static double crossScore(Run r, Map<String, HostTensor> tfState, Dataset test) {
    Model m = r.model().get();
    List<Parameter> ps = m.graph().parameters().stream().map(p -> tfState.containsKey(p.name()) ? p.withInitial(tfState.get(p.name())) : p).toList();
    Model trained = new Model(m.graph().with(ps, m.graph().nodes(), m.graph().outputs()));
    Run scored = new Run(r.name(), () -> trained, r.perExample(), r.optimizer(), r.schedule(), r.epochs());
    try (Trainer t = trainer(scored, Backends.named("onnxruntime"), 0, new ArrayList<>())) {
      return accuracy(t, test);
    }
  }

  /** Trains on {@code backend}, collecting per-step losses; returns the test accuracy and the training seconds. */
  static Trainer trainer(Run r, Backend backend, long shuffleSeed, List<Double> losses) {
    return Trainer.builder(r.model().get()).loss(Losses.softmaxCrossEntropy(Reduction.MEAN), "logits")
        .optimizer(r.optimizer()).schedule(r.schedule()).seed(shuffleSeed).labels(DType.I64).backend(backend).progress(false)
        .callbacks(new TrainingCallback() {
          @Override public void onStepEnd(Trainer tr, long step, double loss) { losses.add(loss); }
        }).build();
  }

  static double[] train(Run r, Backend backend, Dataset train, Dataset test, int batch, long shuffleSeed, List<Double> losses,
                        Map<String, HostTensor> state) {
    try (Trainer t = trainer(r, backend, shuffleSeed, losses)) {
      long t0 = System.nanoTime();
      t.fit(train, null, r.epochs(), batch);
      double seconds = (System.nanoTime() - t0) / 1e9;
      state.putAll(t.variables());
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
      double[] v = logits.toDoubles();
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
