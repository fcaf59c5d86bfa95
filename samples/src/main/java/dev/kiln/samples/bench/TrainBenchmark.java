package dev.kiln.samples.bench;

import static dev.kiln.dsl.DTypes.F32;

import dev.kiln.dsl.Model;
import dev.kiln.runtime.data.Dataset;
import dev.kiln.runtime.tf.OneDnn;
import dev.kiln.runtime.train.Trainer;
import dev.kiln.runtime.train.TrainingCallback;
import dev.kiln.spec.Dim;
import dev.kiln.spec.HostTensor;
import dev.kiln.spec.ir.Attrs;
import dev.kiln.spec.ir.GraphBuilder;
import dev.kiln.spec.ir.Value;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Training throughput of the MLP 784-256-256-10 on TensorFlow-Java (batch 128, one epoch, data
 * preloaded): samples/s, median step time, and start-to-first-step time (graph build, autodiff, TF
 * lowering, session, first step). Then, when {@code /usr/bin/python3 -c "import torch"} works, the same
 * model, loss, optimizer and data size in PyTorch ({@code samples/src/main/python/bench_torch.py}) under
 * several thread settings, the best of which is compared. A program that prints figures, not a test.
 *
 * <p>NOTE: the loss is Σ(dᵀd) over the output residual d = logits − one-hot (the sum of the residuals'
 * Gram matrix), the same in both frameworks; it uses only ops with gradient rules on this branch.
 * TODO(lead): switch both sides to softmax cross-entropy and Adam once {@code Losses}/{@code Optimizers} merge.
 *
 * <p>Usage: {@code TrainBenchmark [examples=60000] [script=samples/src/main/python/bench_torch.py]}
 */
public final class TrainBenchmark {
  private TrainBenchmark() {}

  static final int BATCH = 128;
  static final double LR = 1e-7;

  static Model mlp() {
    return Model.build("mlp", m -> {
      var x = m.input("x", F32, Dim.symbolic("batch"), 784);
      var h = m.linear("fc1", x, 256).relu();
      h = m.linear("fc2", h, 256).relu();
      return m.linear("fc3", h, 10);
    });
  }

  static Value gramLoss(GraphBuilder b, Value logits, Value oneHot) {
    Value d = b.apply1("Add", Attrs.EMPTY, logits, b.apply1("Neg", Attrs.EMPTY, oneHot));
    Value g = b.apply1("MatMul", Attrs.EMPTY, b.apply1("Transpose", Attrs.of("perm", new long[] {1, 0}), d), d);
    return b.apply1("ReduceSum", Attrs.of("keepdims", false), g);
  }

  static Dataset synthetic(int n) {
    Random r = new Random(1);
    float[] x = new float[n * 784];
    float[] y = new float[n * 10];
    for (int i = 0; i < x.length; i++) x[i] = r.nextFloat();
    for (int i = 0; i < n; i++) y[i * 10 + r.nextInt(10)] = 1;
    return new Dataset(HostTensor.ofFloats(x, n, 784), HostTensor.ofFloats(y, n, 10));
  }

  public static void main(String[] args) throws Exception {
    int n = args.length > 0 ? Integer.parseInt(args[0]) : 60000;
    Path script = Path.of(args.length > 1 ? args[1] : "samples/src/main/python/bench_torch.py");
    Dataset data = synthetic(n);
    System.out.printf("Kiln train benchmark: MLP 784-256-256-10, batch %d, %d examples (synthetic, preloaded), %d cores%n",
        BATCH, n, Runtime.getRuntime().availableProcessors());
    System.out.println("oneDNN: " + OneDnn.status());
    long start = System.nanoTime();
    List<Long> stepEnds = new ArrayList<>();
    TrainingCallback timer = new TrainingCallback() {
      @Override public void onStepEnd(Trainer t, long step, double loss) { stepEnds.add(System.nanoTime()); }
    };
    double epochSeconds;
    try (Trainer t = Trainer.builder(mlp()).loss(TrainBenchmark::gramLoss, "output").optimizer(new StandInSgd())
        .learningRate(LR).seed(1).labels(dev.kiln.spec.DType.F32, 10).callbacks(timer).build()) {
      long fitStart = System.nanoTime();
      t.fit(data, null, 1, BATCH);
      epochSeconds = (System.nanoTime() - fitStart) / 1e9;
    }
    double firstStep = (stepEnds.get(0) - start) / 1e9;
    double[] steps = new double[stepEnds.size() - 1];
    for (int i = 1; i < stepEnds.size(); i++) steps[i - 1] = (stepEnds.get(i) - stepEnds.get(i - 1)) / 1e6;
    // The train step compiles in build() (labels declared), so the epoch's time is training only.
    double kilnRate = n / epochSeconds;
    double kilnMedian = median(steps);
    System.out.printf("kiln/tf   : %8.0f samples/s  median step %6.2f ms  start-to-first-step %5.2f s%n", kilnRate, kilnMedian, firstStep);
    System.out.println("LeNet-5: skipped (Conv/MaxPool have no gradient rules on this branch)");
    if (!torchAvailable()) {
      System.out.println("pytorch   : not available (/usr/bin/python3 -c 'import torch' failed)");
      return;
    }
    String[][] settings = {
        {"OPENBLAS_NUM_THREADS=1", "2"}, {"OPENBLAS_NUM_THREADS=1", "1"}, {"", "2"}, {"", "1"}};
    double best = 0;
    String bestName = null;
    for (String[] s : settings) {
      String name = (s[0].isEmpty() ? "" : s[0] + " ") + "torch threads=" + s[1];
      Map<String, Double> r = runTorch(script, n, s[0], s[1]);
      if (r == null) continue;
      System.out.printf("pytorch   : %8.0f samples/s  median step %6.2f ms  start-to-first-step %5.2f s   [%s]%n",
          r.get("samples_per_s"), r.get("median_step_ms"), r.get("first_step_s"), name);
      if (r.get("samples_per_s") > best) {
        best = r.get("samples_per_s");
        bestName = name;
      }
    }
    if (bestName != null) {
      System.out.printf("best pytorch setting: %s; kiln/pytorch throughput ratio %.2f%n", bestName, kilnRate / best);
    }
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

  /** Runs the script under one setting; parses its {@code RESULT key=value ...} line. */
  static Map<String, Double> runTorch(Path script, int n, String env, String threads) throws Exception {
    if (!Files.exists(script)) {
      System.out.println("pytorch   : script " + script + " not found (run from the repository root)");
      return null;
    }
    ProcessBuilder pb = new ProcessBuilder("/usr/bin/python3", script.toString(), "--examples", String.valueOf(n),
        "--batch", String.valueOf(BATCH), "--lr", String.valueOf(LR), "--threads", threads).redirectErrorStream(true);
    if (!env.isEmpty()) pb.environment().put(env.substring(0, env.indexOf('=')), env.substring(env.indexOf('=') + 1));
    Process p = pb.start();
    Map<String, Double> out = null;
    StringBuilder all = new StringBuilder();
    try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
      for (String line; (line = r.readLine()) != null; ) {
        all.append(line).append('\n');
        if (line.startsWith("RESULT ")) {
          out = new java.util.HashMap<>();
          for (String kv : line.substring(7).trim().split("\\s+")) {
            out.put(kv.substring(0, kv.indexOf('=')), Double.parseDouble(kv.substring(kv.indexOf('=') + 1)));
          }
        }
      }
    }
    if (p.waitFor() != 0 || out == null) {
      System.out.println("pytorch   : failed under " + env + " threads=" + threads + ":\n" + all);
      return null;
    }
    return out;
  }
}
