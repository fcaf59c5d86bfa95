package dev.kiln.samples.bench;

import dev.kiln.dsl.Model;
import dev.kiln.runtime.data.Dataset;
import dev.kiln.runtime.tf.OneDnn;
import dev.kiln.runtime.train.Losses;
import dev.kiln.runtime.train.Optimizers;
import dev.kiln.runtime.train.Reduction;
import dev.kiln.runtime.train.Trainer;
import dev.kiln.runtime.train.TrainingCallback;
import dev.kiln.samples.FashionMnistDemo;
import dev.kiln.spec.DType;
import dev.kiln.spec.HostTensor;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.function.LongFunction;
import dev.kiln.models.ResNet;
import dev.kiln.models.RowLstmClassifier;

/**
 * Training throughput on TensorFlow-Java against PyTorch, for the MLP 784-256-256-10, LeNet-5, the small
 * {@link ResNet} and an LSTM reading images row by row ({@link RowLstmClassifier}):
 * softmax cross-entropy on integer labels, Adam lr 1e-3, batch 128, epochs over synthetic data preloaded
 * in memory (the same sizes on both sides). Reports samples/s in the steady state (examples after the
 * first step over the time after it) and the median step time of each side's fastest of {@value #ROUNDS}
 * epochs (this VM's speed drifts by 10-20% over seconds), and start-to-first-step of its first (Kiln:
 * model build, autodiff, TF lowering, session and the first step; PyTorch: {@code import torch}, data,
 * model and the first step). PyTorch ({@code bench_torch.py}, run with {@code /usr/bin/python3}) is tried
 * under several thread settings and the best is compared. Against the hand-written TF-Java step
 * ({@link TfReference}) both sides first get a warm-up epoch, then alternate.
 *
 * <p>NOTE: Debian's torch runs GEMMs in OpenBLAS, whose own thread pool {@code torch.set_num_threads}
 * does not limit; so the settings vary {@code OPENBLAS_NUM_THREADS} too. A program that prints figures,
 * not a test; run it on a quiet machine (it prints the load average).
 */
public final class TrainBenchmark {
  private TrainBenchmark() {}

  /**
   * Epochs per side whose fastest counts: Kiln's (after one warm-up epoch, alternating with the hand-written
   * step's where there is one) and PyTorch's under each thread setting ({@code bench_torch.py --epochs}).
   */
  static final int ROUNDS = 3;

  /** Batch size on both sides. */
  public static final int BATCH = 128;
  /** Thread settings tried for PyTorch: OpenBLAS threads ("" = its default), torch threads. */
  static final String[][] TORCH_SETTINGS = {{"1", "2"}, {"1", "1"}, {"2", "2"}, {"", "2"}, {"", "1"}};

  /** One framework's figures for one model. */
  public record Figures(double samplesPerSecond, double medianStepMs, double firstStepSeconds) {}

  /**
   * A benchmarked model: its name (also {@code bench_torch.py}'s {@code --model}), the shape of one
   * example, the class count, the Kiln model (from a seed) and the default examples per epoch. To add a
   * model, add an entry to {@link #MODELS} and the same network to {@code bench_torch.py}.
   */
  public record BenchModel(String name, long[] exampleShape, int classes, LongFunction<Model> build, int defaultExamples) {}

  /** The benchmarked models, in the order they run. */
  public static final List<BenchModel> MODELS = List.of(
      new BenchModel("mlp", new long[] {784}, 10, seed -> FashionMnistDemo.model("mlp", seed), 60000),
      new BenchModel("lenet", new long[] {1, 28, 28}, 10, seed -> FashionMnistDemo.model("lenet", seed), 20000),
      new BenchModel("resnet", new long[] {1, 28, 28}, 10, ResNet::build, 5120),
      // 28 rows of 28 pixels; PyTorch's LSTM is slow here, so a shorter epoch by default.
      new BenchModel("lstm", new long[] {28, 28}, 10, RowLstmClassifier::build, 2560));

  /** The entry of {@link #MODELS} named {@code name}. */
  public static BenchModel model(String name) {
    for (BenchModel m : MODELS) if (m.name().equals(name)) return m;
    throw new IllegalArgumentException("unknown benchmark model '" + name + "'");
  }

  /** Synthetic data shaped for {@code model}: features uniform in [0, 1), labels uniform class ids. */
  static Dataset synthetic(BenchModel model, int n) {
    Random r = new Random(1);
    long[] shape = new long[model.exampleShape().length + 1];
    shape[0] = n;
    System.arraycopy(model.exampleShape(), 0, shape, 1, model.exampleShape().length);
    int per = (int) Arrays.stream(model.exampleShape()).reduce(1, Math::multiplyExact);
    float[] x = new float[Math.multiplyExact(n, per)];
    long[] y = new long[n];
    for (int i = 0; i < x.length; i++) x[i] = r.nextFloat();
    for (int i = 0; i < n; i++) y[i] = r.nextInt(model.classes());
    return new Dataset(HostTensor.ofFloats(x, shape), HostTensor.ofLongs(y, n));
  }

  /** Trains {@code model} for one epoch on TensorFlow-Java and measures it. */
  public static Figures kiln(BenchModel model, int n) {
    Dataset data = synthetic(model, n);
    long start = System.nanoTime();
    List<Long> ends = new ArrayList<>();
    TrainingCallback timer = new TrainingCallback() {
      @Override public void onStepEnd(Trainer t, long step, double loss) { ends.add(System.nanoTime()); }
    };
    try (Trainer t = Trainer.builder(model.build().apply(1))
        .loss(Losses.softmaxCrossEntropy(Reduction.MEAN), "logits").optimizer(Optimizers.adam(0.9, 0.999, 1e-8))
        .learningRate(1e-3).seed(1).labels(DType.I64).callbacks(timer).progress(false).build()) {
      t.fit(data, null, 1, BATCH);
    }
    double[] steps = new double[ends.size() - 1];
    for (int i = 1; i < ends.size(); i++) steps[i - 1] = (ends.get(i) - ends.get(i - 1)) / 1e6;
    double rate = (n - BATCH) / ((ends.get(ends.size() - 1) - ends.get(0)) / 1e9);
    return new Figures(rate, median(steps), (ends.get(0) - start) / 1e9);
  }

  /** The faster epoch of two runs of one side, with the first (cold) run's start-to-first-step. */
  static Figures faster(Figures first, Figures second) {
    Figures f = second.samplesPerSecond() > first.samplesPerSecond() ? second : first;
    return new Figures(f.samplesPerSecond(), f.medianStepMs(), first.firstStepSeconds());
  }

  static double median(double[] v) {
    double[] s = v.clone();
    Arrays.sort(s);
    return s.length == 0 ? Double.NaN : s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
  }

  static boolean torchAvailable() {
    try {
      Process p = new ProcessBuilder("/usr/bin/python3", "-c", "import torch").redirectErrorStream(true).start();
      p.getInputStream().readAllBytes();
      return p.waitFor() == 0;
    } catch (Exception e) {
      return false;
    }
  }

  /** Runs the script under one setting; parses its {@code RESULT key=value ...} line; null on failure. */
  static Figures torch(Path script, String model, int n, String openblas, String threads, PrintStream out) throws Exception {
    ProcessBuilder pb = new ProcessBuilder("/usr/bin/python3", script.toString(), "--model", model, "--examples",
        String.valueOf(n), "--batch", String.valueOf(BATCH), "--lr", "1e-3", "--threads", threads,
        "--epochs", String.valueOf(ROUNDS)).redirectErrorStream(true);
    if (!openblas.isEmpty()) pb.environment().put("OPENBLAS_NUM_THREADS", openblas);
    else pb.environment().remove("OPENBLAS_NUM_THREADS");
    Process p = pb.start();
    Map<String, Double> r = null;
    StringBuilder all = new StringBuilder();
    try (BufferedReader in = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
      for (String line; (line = in.readLine()) != null; ) {
        all.append(line).append('\n');
        if (line.startsWith("RESULT ")) {
          r = new HashMap<>();
          for (String kv : line.substring(7).trim().split("\\s+")) {
            r.put(kv.substring(0, kv.indexOf('=')), Double.parseDouble(kv.substring(kv.indexOf('=') + 1)));
          }
        }
      }
    }
    if (p.waitFor() != 0 || r == null) {
      out.println("pytorch   : failed (" + settingName(openblas, threads) + "):\n" + all);
      return null;
    }
    return new Figures(r.get("samples_per_s"), r.get("median_step_ms"), r.get("first_step_s"));
  }

  static String settingName(String openblas, String threads) {
    return "OPENBLAS_NUM_THREADS=" + (openblas.isEmpty() ? "default" : openblas) + ", torch threads=" + threads;
  }

  static String line(String who, Figures f) {
    return String.format(Locale.ROOT, "%-10s: %8.0f samples/s  median step %7.2f ms  start-to-first-step %5.2f s",
        who, f.samplesPerSecond(), f.medianStepMs(), f.firstStepSeconds());
  }

  /** Benchmarks each of {@code models} on {@code examples[i]} examples and prints the figures to {@code out}. */
  public static void run(List<String> models, int[] examples, Path script, PrintStream out) throws Exception {
    out.printf(Locale.ROOT, "Kiln train benchmark: softmax cross-entropy, Adam lr 1e-3, batch %d, synthetic data preloaded; "
        + "%d cores, load average %.2f; oneDNN: %s%n", BATCH, Runtime.getRuntime().availableProcessors(), loadAverage(),
        OneDnn.status());
    boolean torch = torchAvailable() && Files.exists(script);
    if (!torch) out.println("pytorch   : not available (needs /usr/bin/python3 with torch and " + script + ")");
    for (int i = 0; i < models.size(); i++) {
      BenchModel model = model(models.get(i));
      int n = examples[i];
      out.printf(Locale.ROOT, "== %s, %d examples per epoch, fastest of %d epochs ==%n", model.name(), n, ROUNDS);
      Figures k = kiln(model, n);
      Figures ref = null;
      if (!TfReference.supports(model.name())) {
        for (int round = 1; round < ROUNDS; round++) k = faster(k, kiln(model, n));
      }
      if (TfReference.supports(model.name())) {
        // NOTE: the first epochs in a fresh JVM run 10-20% slower while the JIT compiles the host-side step
        // (Kiln's trainer and data path more than the bare reference loop), so against the reference each
        // side gets one warm-up epoch, then the two alternate ROUNDS times and keep their fastest epoch (the
        // machine's speed drifts by 10-20% over seconds here); the start-to-first-step figures stay the cold ones.
        ref = TfReference.run(model.name(), n);
        Figures coldKiln = k;
        Figures coldRef = ref;
        k = kiln(model, n);
        ref = TfReference.run(model.name(), n);
        for (int round = 1; round < ROUNDS; round++) {
          k = faster(k, kiln(model, n));
          ref = faster(ref, TfReference.run(model.name(), n));
        }
        k = new Figures(k.samplesPerSecond(), k.medianStepMs(), coldKiln.firstStepSeconds());
        ref = new Figures(ref.samplesPerSecond(), ref.medianStepMs(), coldRef.firstStepSeconds());
      }
      out.println(line("kiln/tf", k));
      if (ref != null) out.println(line("tf-java", ref) + "   [hand-written TF-Java step, NHWC; both warmed up, best of " + ROUNDS + " alternating]");
      if (ref != null) {
        out.printf(Locale.ROOT, "%s: kiln/hand-written TF-Java: throughput %.2fx%n", model.name(),
            k.samplesPerSecond() / ref.samplesPerSecond());
      }
      if (!torch) continue;
      Figures best = null;
      String bestName = null;
      for (String[] s : TORCH_SETTINGS) {
        Figures f = torch(script, model.name(), n, s[0], s[1], out);
        if (f == null) continue;
        out.println(line("pytorch", f) + "   [" + settingName(s[0], s[1]) + "]");
        if (best == null || f.samplesPerSecond() > best.samplesPerSecond()) {
          best = f;
          bestName = settingName(s[0], s[1]);
        }
      }
      if (best != null) {
        out.printf(Locale.ROOT, "%s: best pytorch [%s]; kiln/pytorch: throughput %.2fx, median step %.2fx, "
            + "start-to-first-step %.2fx%s%n", model.name(), bestName, k.samplesPerSecond() / best.samplesPerSecond(),
            k.medianStepMs() / best.medianStepMs(), k.firstStepSeconds() / best.firstStepSeconds(),
            ref == null ? "" : String.format(Locale.ROOT, "; tf-java/pytorch %.2fx", ref.samplesPerSecond() / best.samplesPerSecond()));
      }
    }
    out.printf(Locale.ROOT, "load average at the end %.2f%n", loadAverage());
  }

  static double loadAverage() {
    return java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
  }

  /** The torch script: under {@code kiln.home} (set by the {@code kiln} launcher), else relative to the current folder. */
  public static Path defaultScript() {
    Path rel = Path.of("samples/programs/src/main/python/bench_torch.py");
    String home = System.getProperty("kiln.home");
    return home != null ? Path.of(home).resolve(rel) : rel;
  }

  /** {@code TrainBenchmark [model[=examples] ...]}: every model of {@link #MODELS} at its default size when no argument. */
  public static void main(String[] args) throws Exception {
    List<String> names = new ArrayList<>();
    List<Integer> sizes = new ArrayList<>();
    if (args.length == 0) {
      for (BenchModel m : MODELS) {
        names.add(m.name());
        sizes.add(m.defaultExamples());
      }
    }
    for (String a : args) {
      int eq = a.indexOf('=');
      BenchModel m = model(eq < 0 ? a : a.substring(0, eq));
      names.add(m.name());
      sizes.add(eq < 0 ? m.defaultExamples() : Integer.parseInt(a.substring(eq + 1)));
    }
    run(names, sizes.stream().mapToInt(Integer::intValue).toArray(), defaultScript(), System.out);
  }
}
