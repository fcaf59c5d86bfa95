package dev.kiln.samples.bench;

import dev.kiln.compiler.onnx.OnnxExporter;
import dev.kiln.runtime.Cpu;
import dev.kiln.runtime.onnx.OnnxRuntimeModel;
import dev.kiln.runtime.tf.TfModel;
import dev.kiln.models.LeNet5;
import dev.kiln.spec.DType;
import dev.kiln.spec.HostTensor;
import dev.kiln.spec.ir.Graph;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * What the known-answer self-checks cost a user: the time from loading LeNet-5 on a back end (its native
 * library already loaded) to its first answer, in a fresh JVM each time, with the check off, on with nothing cached (a new machine), and on
 * with a clean verdict cached (every later process). The three arms alternate, pair by pair; the report
 * gives each arm's median and spread and the median of the paired differences. Run:
 * {@code java -cp ... dev.kiln.samples.bench.SelfCheckBenchmark [pairs]}.
 */
public final class SelfCheckBenchmark {
  private SelfCheckBenchmark() {}

  public static void main(String[] args) throws Exception {
    if (args.length == 2 && args[0].equals("child")) {
      child(args[1]);
      return;
    }
    int pairs = args.length > 0 ? Integer.parseInt(args[0]) : 7;
    System.out.println("CPU: " + Cpu.describe() + "; " + pairs + " alternating runs per arm, each a fresh JVM");
    for (String backEnd : List.of("tf", "ort")) {
      Path warm = Files.createTempDirectory("kiln-cache");
      double[][] ms = new double[3][pairs];
      for (int i = 0; i < pairs; i++) {
        ms[0][i] = run(backEnd, "off", null);
        ms[1][i] = run(backEnd, "on", Files.createTempDirectory("kiln-cache-cold"));
        ms[2][i] = run(backEnd, "on", warm);
      }
      String[] names = {"check off", "check, nothing cached", "check, verdict cached"};
      for (int a = 0; a < 3; a++) {
        System.out.printf("%-4s %-22s median %6.1f ms (min %.1f, max %.1f)%s%n", backEnd, names[a], median(ms[a]), min(ms[a]), max(ms[a]),
            a == 0 ? "" : String.format("; paired extra: median %.1f ms", median(diff(ms[a], ms[0]))));
      }
    }
  }

  /** One fresh JVM: milliseconds from loading LeNet-5 on the back end to its first output. */
  private static double run(String backEnd, String check, Path cache) throws Exception {
    List<String> cmd = new ArrayList<>(List.of(System.getProperty("java.home") + File.separator + "bin" + File.separator + "java",
        "-cp", System.getProperty("java.class.path")));
    cmd.add("-Dkiln." + backEnd + ".selfCheck=" + (check.equals("on")));
    if (cache != null) cmd.add("-Dkiln.cache.dir=" + cache);
    cmd.addAll(List.of(SelfCheckBenchmark.class.getName(), "child", backEnd));
    Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.DISCARD).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (p.waitFor() != 0) throw new IllegalStateException("child failed: " + out);
    return Double.parseDouble(out.lines().filter(l -> l.startsWith("MS ")).findFirst().orElseThrow().substring(3));
  }

  private static void child(String backEnd) throws Exception {
    Graph g = LeNet5.build(1).evalGraph();
    Map<String, HostTensor> feed = Map.of("image", HostTensor.filled(DType.F32, new long[] {8, 1, 28, 28}, 0.5));
    byte[] onnx = backEnd.equals("ort") ? OnnxExporter.export(g).toByteArray() : null;
    // The native libraries load before the clock starts: every process pays for them, check or not.
    if (backEnd.equals("tf")) org.tensorflow.TensorFlow.version();
    else ai.onnxruntime.OrtEnvironment.getEnvironment();
    long t0 = System.nanoTime();
    if (backEnd.equals("tf")) {
      try (TfModel m = TfModel.load(g)) {
        m.run(feed);
      }
    } else {
      try (OnnxRuntimeModel m = OnnxRuntimeModel.load(onnx)) {
        m.run(feed);
      }
    }
    System.out.println("MS " + (System.nanoTime() - t0) / 1e6);
  }

  private static double[] diff(double[] a, double[] b) {
    double[] d = new double[a.length];
    for (int i = 0; i < a.length; i++) d[i] = a[i] - b[i];
    return d;
  }

  private static double median(double[] v) {
    double[] s = v.clone();
    Arrays.sort(s);
    return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
  }

  private static double min(double[] v) { return Arrays.stream(v).min().orElse(Double.NaN); }

  private static double max(double[] v) { return Arrays.stream(v).max().orElse(Double.NaN); }
}
