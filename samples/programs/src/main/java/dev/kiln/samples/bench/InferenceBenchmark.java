package dev.kiln.samples.bench;

import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import dev.kiln.compiler.onnx.ExportOptions;
import dev.kiln.compiler.onnx.OnnxExporter;
import dev.kiln.models.Standardize;
import dev.kiln.runtime.data.Dataset;
import dev.kiln.runtime.data.FashionMnist;
import dev.kiln.samples.FashionMnistDemo;
import java.io.PrintStream;
import java.nio.FloatBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * Inference latency in ONNX Runtime of a Kiln-exported model against {@code torch.onnx}'s export of the SAME
 * weights ({@code torch_onnx_export.py} copies them out of Kiln's file): the demo's MLP and LeNet-5 with their
 * input standardisation, batch 1 and 128 of real Fashion-MNIST test images, 1 and 2 intra-op threads. Both files
 * must give the same logits (checked first). Then, per setting, pairs of timed blocks alternate between the files
 * (the order flips every pair); reported: each file's median latency per run over the pairs and the median and
 * range of the per-pair ratios Kiln/torch. With an output folder, ONNX Runtime's optimized graphs are written
 * there and their node types listed, to show what was left unfused.
 */
public final class InferenceBenchmark {
  private InferenceBenchmark() {}

  /** The models it runs: the demo's, with their input standardisation. */
  public static final List<String> MODELS = List.of("mlp", "lenet");

  /** Benchmarks {@code models} with {@code pairs} pairs per setting; keeps the files in {@code dir}. */
  public static void run(List<String> models, int pairs, Path script, Path dir, PrintStream out) throws Exception {
    out.println("Kiln inference benchmark (ONNX Runtime, Kiln export vs torch.onnx export of the same weights): " + Machine.describe());
    Files.createDirectories(dir);
    FashionMnist data = FashionMnist.load(FashionMnist.DEFAULT_DIR, false);
    Standardize std = Standardize.of(data.train().features());
    OrtEnvironment env = OrtEnvironment.getEnvironment();
    for (String name : models) {
      BenchModels.BenchModel bm = BenchModels.model(name);
      Path kiln = dir.resolve(name + "-kiln.onnx");
      Path torch = dir.resolve(name + "-torch.onnx");
      // The default export folds the input standardisation into the first layer where exact (FoldInputAffine);
      // the unfolded file keeps the model's own weights, which the torch side copies and standardises itself.
      Path unfolded = dir.resolve(name + "-kiln-unfolded.onnx");
      var graph = FashionMnistDemo.model(name, 1, std).graph();
      OnnxExporter.write(graph, kiln);
      OnnxExporter.write(graph, ExportOptions.defaults().foldInputAffine(false), unfolded);
      exportTorch(script, name, unfolded, torch, std);
      boolean folded = !census(ModelProto.parseFrom(Files.readAllBytes(kiln))).equals(census(ModelProto.parseFrom(Files.readAllBytes(unfolded))));
      for (Path p : folded ? List.of(kiln, unfolded, torch) : List.of(kiln, torch)) {
        out.println(name + " " + p.getFileName() + ": " + census(ModelProto.parseFrom(Files.readAllBytes(p))));
      }
      for (int threads : new int[] {1, 2}) {
        try (OrtSession k = open(env, kiln, threads, dir.resolve(name + "-kiln.t" + threads + ".optimized.onnx"));
             OrtSession u = open(env, unfolded, threads, dir.resolve(name + "-kiln-unfolded.t" + threads + ".optimized.onnx"));
             OrtSession t = open(env, torch, threads, dir.resolve(name + "-torch.t" + threads + ".optimized.onnx"))) {
          if (threads == 1) {
            for (String side : List.of("kiln", "torch")) {
              Path opt = dir.resolve(name + "-" + side + ".t1.optimized.onnx");
              out.println(name + " " + side + " after ONNX Runtime's optimizer: " + census(ModelProto.parseFrom(Files.readAllBytes(opt))));
            }
          }
          for (int batch : new int[] {1, 128}) {
            Dataset test = data.test();
            float[] x = Arrays.copyOf(test.features().toFloats(), batch * 784);
            long[] shape = new long[bm.exampleShape().length + 1];
            shape[0] = batch;
            System.arraycopy(bm.exampleShape(), 0, shape, 1, bm.exampleShape().length);
            try (OnnxTensor in = OnnxTensor.createTensor(env, FloatBuffer.wrap(x), shape)) {
              double diff = maxAbsDiff(logits(k, in), logits(t, in));
              if (!(diff < 1e-3)) throw new IllegalStateException(name + ": the two exports disagree, max abs diff " + diff);
              time(name, batch, threads, k, t, in, pairs, diff, out);
              // The lever's A/B: the same model exported without the fold, against the same torch.onnx file.
              if (folded) time(name + " (kiln unfolded)", batch, threads, u, t, in, pairs, maxAbsDiff(logits(u, in), logits(t, in)), out);
            }
          }
        }
      }
    }
  }

  private static void exportTorch(Path script, String name, Path kiln, Path torch, Standardize std) throws Exception {
    Process p = new ProcessBuilder("/usr/bin/python3", script.toString(), "--model", name, "--kiln-onnx", kiln.toString(),
        "--out", torch.toString(), "--mean", String.valueOf(std.mean()), "--std", String.valueOf(std.std()))
        .redirectErrorStream(true).start();
    String log = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (p.waitFor() != 0) throw new IllegalStateException("torch.onnx export of " + name + " failed:\n" + log);
  }

  static OrtSession open(OrtEnvironment env, Path model, int threads, Path optimized) throws OrtException {
    OrtSession.SessionOptions o = new OrtSession.SessionOptions();
    o.setIntraOpNumThreads(threads);
    o.setInterOpNumThreads(1);
    o.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
    o.setSessionLogLevel(ai.onnxruntime.OrtLoggingLevel.ORT_LOGGING_LEVEL_ERROR);  // not its warning that the optimized file is CPU-specific
    o.setOptimizedModelFilePath(optimized.toString());
    return env.createSession(model.toString(), o);
  }

  private static float[] logits(OrtSession s, OnnxTensor in) throws OrtException {
    try (OrtSession.Result r = s.run(Map.of(s.getInputNames().iterator().next(), in))) {
      return ((OnnxTensor) r.get(0)).getFloatBuffer().array();
    }
  }

  static double maxAbsDiff(float[] a, float[] b) {
    if (a.length != b.length) return Double.POSITIVE_INFINITY;
    double m = 0;
    for (int i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
    return m;
  }

  /** Node types of a model and how many of each, e.g. {@code Gemm x3, Relu x2}. */
  static String census(ModelProto m) {
    Map<String, Integer> count = new TreeMap<>();
    for (String op : OnnxExporter.opTypes(m)) count.merge(op, 1, Integer::sum);
    List<String> parts = new ArrayList<>();
    count.forEach((op, c) -> parts.add(op + " x" + c));
    return String.join(", ", parts);
  }

  private static void time(String name, int batch, int threads, OrtSession k, OrtSession t, OnnxTensor in, int pairs,
                           double diff, PrintStream out) throws OrtException {
    // NOTE: a block long enough (~50 ms) that the clock and a scheduler tick do not dominate one figure.
    int reps = Math.max(5, (int) Math.min(2000, 0.05 / Math.max(1e-6, seconds(k, in, 10) / 10)));
    seconds(k, in, reps);
    seconds(t, in, reps);
    List<Double> kl = new ArrayList<>();
    List<Double> tl = new ArrayList<>();
    for (int pair = 0; pair < pairs; pair++) {
      if (pair % 2 == 0) {
        kl.add(seconds(k, in, reps) / reps * 1e6);
        tl.add(seconds(t, in, reps) / reps * 1e6);
      } else {
        tl.add(seconds(t, in, reps) / reps * 1e6);
        kl.add(seconds(k, in, reps) / reps * 1e6);
      }
    }
    out.printf(Locale.ROOT, "%s batch %d, %d thread%s: kiln %s, torch.onnx %s; kiln/torch per pair %s; max abs diff %.1e%n", name,
        batch, threads, threads == 1 ? "" : "s", Spread.of(kl).format("%.1f", " us"), Spread.of(tl).format("%.1f", " us"),
        Spread.ofRatios(kl, tl).format("%.3f", "x"), diff);
  }

  private static double seconds(OrtSession s, OnnxTensor in, int reps) throws OrtException {
    String input = s.getInputNames().iterator().next();
    Map<String, OnnxTensor> feed = Map.of(input, in);
    long t0 = System.nanoTime();
    for (int i = 0; i < reps; i++) s.run(feed).close();
    return (System.nanoTime() - t0) / 1e9;
  }

  /** The export script beside {@code bench_torch.py}. */
  public static Path defaultScript() { return TrainBenchmark.defaultScript().resolveSibling("torch_onnx_export.py"); }

  /** {@code InferenceBenchmark [PAIRS [DIR]]}. */
  public static void main(String[] args) throws Exception {
    int pairs = args.length > 0 ? Integer.parseInt(args[0]) : 7;
    Path dir = args.length > 1 ? Path.of(args[1]) : Files.createTempDirectory("kiln-infer");
    run(MODELS, pairs, defaultScript(), dir, System.out);
  }
}
