package dev.kiln.samples.bench;

import dev.kiln.runtime.data.FashionMnist;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Training throughput of Kiln against PyTorch and a hand-written TF-Java step, on real data, as paired runs.
 * Every side (Kiln's trainer on TensorFlow-Java, Kiln's trainer on ONNX Runtime, the hand-written TF-Java step
 * for the MLP and LeNet-5, PyTorch 1.13 from {@code /usr/bin/python3}) trains the same model with softmax
 * cross-entropy, Adam lr 1e-3 and batch 128 on the same Fashion-MNIST examples for the same epochs
 * ({@link BenchModels}), each run in a fresh process of its own. A pair runs every side once; the order is
 * reversed every other pair, so a slow spell of this shared machine falls on all sides alike. Reported per side:
 * median and range over the pairs of the steady-state samples/s (all steps after the first, every epoch), of
 * process start to first step and of peak resident memory; and the median and range of the per-pair ratios.
 * No best epoch or best run is picked. PyTorch's thread setting (OpenBLAS's pool and torch's) is the issue's
 * {@link #DEFAULT_TORCH} unless given or probed ({@link #probeTorch}).
 */
public final class TrainBenchmark {
  private TrainBenchmark() {}

  static final String TORCH = "torch";
  /** Every side, in the order a pair runs them (reversed every other pair). */
  public static final List<String> SIDES = List.of(TrainRun.KILN_TF, TrainRun.KILN_ORT, TrainRun.TF_JAVA, TORCH);
  /** PyTorch thread settings tried by the probe: OPENBLAS_NUM_THREADS ("" = its default), torch threads. */
  static final String[][] TORCH_SETTINGS = {{"1", "1"}, {"1", "2"}, {"", "1"}, {"2", "2"}, {"", "2"}};
  /**
   * PyTorch's setting when none is given and the probe is off (the CLI probes by default; the per-op profile uses
   * this): OpenBLAS's default pool and 1 torch thread (issue 22's setting).
   * NOTE: not the winner of a short probe: a probe over 4,096 examples picked OpenBLAS default + 2 torch threads,
   * which then collapsed to 8.4k samples/s over the MLP's 60,000 (OpenMP and OpenBLAS pools oversubscribing 2
   * cores), and the main run reported an unfair 4.3x.
   */
  public static final String[] DEFAULT_TORCH = {"", "1"};
  /**
   * What to run. {@code examples} / {@code epochs}: null = each model's default; {@code torchSetting}: null =
   * {@link #DEFAULT_TORCH}, else {OPENBLAS_NUM_THREADS or "", torch threads}; {@code probeTorch}: pick the setting
   * by {@link #probeTorch} instead (ignored when {@code torchSetting} is given); {@code torchBlas}: null, or a folder put first on
   * PyTorch's {@code LD_LIBRARY_PATH} (one holding OpenBLAS's {@code libblas.so.3}, see {@link TorchBlas}).
   */
  public record Options(List<String> models, List<String> sides, int pairs, Integer examples, Integer epochs,
                        Path torchScript, Path data, String[] torchSetting, Path torchBlas, boolean probeTorch) {
    public Options {
      if (pairs < 1) throw new IllegalArgumentException("pairs must be at least 1, got " + pairs);
      for (String s : sides) if (!SIDES.contains(s)) throw new IllegalArgumentException("unknown side '" + s + "': one of " + SIDES);
      for (String m : models) BenchModels.model(m);
    }
  }

  /** Runs the benchmark and prints every pair and the summary of each model to {@code out}. */
  public static void run(Options o, PrintStream out) throws Exception {
    out.println("Kiln training benchmark: Fashion-MNIST, softmax cross-entropy, Adam lr 1e-3, batch " + BenchModels.BATCH
        + ", every run a fresh process, sides alternating; " + Machine.describe() + "; TF_ENABLE_ONEDNN_OPTS="
        + System.getenv().getOrDefault("TF_ENABLE_ONEDNN_OPTS", "(unset)"));
    List<String> sides = new ArrayList<>(o.sides());
    if (sides.contains(TORCH) && !(Files.exists(o.torchScript()) && torchAvailable())) {
      out.println("torch: left out (needs /usr/bin/python3 with torch and " + o.torchScript() + ")");
      sides.remove(TORCH);
    }
    if (sides.contains(TORCH)) {
      String blas = TorchBlas.loaded(torchEnv(o, ""));
      out.println("torch BLAS: " + blas);
      String warning = TorchBlas.warning(blas);
      if (warning != null) out.println(warning);
    }
    for (String name : o.models()) {
      BenchModels.BenchModel m = BenchModels.model(name);
      int n = o.examples() != null ? o.examples() : m.defaultExamples();
      int epochs = o.epochs() != null ? o.epochs() : m.defaultEpochs();
      List<String> here = new ArrayList<>(sides);
      if (!TfReference.supports(name)) here.remove(TrainRun.TF_JAVA);
      String[] setting = !here.contains(TORCH) ? null
          : o.torchSetting() != null ? o.torchSetting() : o.probeTorch() ? probeTorch(o, m, n, epochs, out) : DEFAULT_TORCH;
      if (here.contains(TORCH) && setting == null) here.remove(TORCH);
      out.printf(Locale.ROOT, "== %s: %d examples x %d epochs, %d pairs; sides %s%s ==%n", name, n, epochs, o.pairs(), here,
          setting == null ? "" : "; torch " + settingName(setting));
      Map<String, List<SideProcess.Run>> runs = new LinkedHashMap<>();
      for (String s : here) runs.put(s, new ArrayList<>());
      for (int pair = 1; pair <= o.pairs(); pair++) {
        List<String> order = new ArrayList<>(runs.keySet());
        if (pair % 2 == 0) java.util.Collections.reverse(order);
        StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "pair %d:", pair));
        for (String s : order) {
          SideProcess.Run r = runOne(o, s, name, n, epochs, setting, out);
          runs.get(s).add(r);
          line.append(String.format(Locale.ROOT, "  %s %.0f", s, r == null ? Double.NaN : r.samplesPerSecond()));
        }
        out.println(line.append(" samples/s (load ").append(String.format(Locale.ROOT, "%.2f", Machine.loadAverage())).append(')'));
      }
      summarise(name, runs, out);
    }
    out.printf(Locale.ROOT, "load average at the end %.2f%n", Machine.loadAverage());
  }

  /** One run of {@code side}; null (after printing why) when it failed. */
  private static SideProcess.Run runOne(Options o, String side, String model, int n, int epochs, String[] torch, PrintStream out) throws Exception {
    try {
      if (side.equals(TORCH)) {
        return SideProcess.run(SideProcess.torchCommand(o.torchScript(), model, n, epochs, Integer.parseInt(torch[1]), o.data()),
            torchEnv(o, torch[0]));
      }
      SideProcess.Run r = SideProcess.run(SideProcess.jvmCommand(side, model, n, epochs, o.data()), Map.of());
      // NOTE: with -Dkiln.startup.trace=true (KILN_JAVA_OPTS) each JVM side's phases, from the parent's launch.
      for (String mark : r.startupTrace()) out.println("  " + side + " startup " + mark);
      return r;
    } catch (SideProcess.Failed e) {
      out.println("  " + side + " failed: " + e.getMessage());
      return null;
    }
  }

  /** Per side: samples/s, start to first step, peak memory; then the per-pair ratios against PyTorch and the hand-written step. */
  static void summarise(String model, Map<String, List<SideProcess.Run>> runs, PrintStream out) {
    Map<String, List<Double>> rate = new LinkedHashMap<>();
    for (Map.Entry<String, List<SideProcess.Run>> e : runs.entrySet()) {
      List<Double> r = new ArrayList<>();
      List<Double> start = new ArrayList<>();
      List<Double> rss = new ArrayList<>();
      for (SideProcess.Run run : e.getValue()) {
        r.add(run == null ? Double.NaN : run.samplesPerSecond());
        if (run != null) {
          start.add(run.startToFirstStepS());
          rss.add(run.peakRssMb());
        }
      }
      rate.put(e.getKey(), r);
      out.printf(Locale.ROOT, "%s %-8s samples/s %s; start to first step %s; peak RSS %s%n", model, e.getKey(),
          Spread.of(r.stream().filter(x -> !x.isNaN()).toList()).format("%.0f", ""),
          Spread.of(start).format("%.2f", " s"), Spread.of(rss).format("%.0f", " MiB"));
    }
    for (String a : rate.keySet()) {
      for (String b : List.of(TORCH, TrainRun.TF_JAVA)) {
        if (a.equals(b) || !rate.containsKey(b) || (b.equals(TrainRun.TF_JAVA) && !a.equals(TrainRun.KILN_TF))) continue;
        out.printf(Locale.ROOT, "%s %s/%s per pair: %s%n", model, a, b, Spread.ofRatios(rate.get(a), rate.get(b)).format("%.3f", "x"));
      }
    }
  }

  /**
   * The fastest PyTorch thread setting for {@code m}, from one run under each of {@link #TORCH_SETTINGS} (Debian's
   * torch does its GEMMs in OpenBLAS, whose pool {@code torch.set_num_threads} does not limit); null when every
   * setting failed. Each probe run is as long as a measured run ({@code n} examples x {@code epochs}): a setting
   * that oversubscribes the cores can be fastest for a few thousand examples and then slow down several times
   * (the 8.4k of docs/benchmarks.md), and a shorter probe would pick it.
   */
  static String[] probeTorch(Options o, BenchModels.BenchModel m, int n, int epochs, PrintStream out) throws Exception {
    String[] best = null;
    double bestRate = 0;
    StringBuilder line = new StringBuilder("torch thread probe (" + m.name() + ", " + n + " examples x " + epochs + " epochs):");
    for (String[] s : TORCH_SETTINGS) {
      SideProcess.Run r = runOne(o, TORCH, m.name(), n, epochs, s, out);
      if (r == null) continue;
      line.append(String.format(Locale.ROOT, " [%s] %.0f;", settingName(s), r.samplesPerSecond()));
      if (r.samplesPerSecond() > bestRate) {
        bestRate = r.samplesPerSecond();
        best = s;
      }
    }
    out.println(line);
    return best;
  }

  /** PyTorch's environment: OpenBLAS's thread count ("" = its default) and, with --torch-blas, its library path. */
  static Map<String, String> torchEnv(Options o, String openblasThreads) { return torchEnv(o.torchBlas(), openblasThreads); }

  /**
   * glibc malloc settings for the PyTorch side: keep freed memory instead of unmapping it. At glibc's defaults each
   * new 800 KB tensor of the MLP came from fresh pages, and on the Zen 5 machine the page faults cost torch's Adam
   * step 4.4 ms instead of 0.6 and fwd+bwd 3.6 ms instead of 2.4 (2026-12-07): a comparison would measure page
   * faults, not training. The JVM side keeps its memory anyway (its heap, TF's allocator).
   */
  static final Map<String, String> TORCH_MALLOC = Map.of("MALLOC_MMAP_THRESHOLD_", "4294967296",
      "MALLOC_TRIM_THRESHOLD_", "4294967296", "MALLOC_TOP_PAD_", "268435456");

  /** As {@link #torchEnv(Options, String)} with {@code torchBlas} (null: none). */
  static Map<String, String> torchEnv(Path torchBlas, String openblasThreads) {
    Map<String, String> env = new LinkedHashMap<>(TORCH_MALLOC);
    env.put("OPENBLAS_NUM_THREADS", openblasThreads);
    if (torchBlas != null) {
      String old = System.getenv("LD_LIBRARY_PATH");
      env.put("LD_LIBRARY_PATH", torchBlas.toAbsolutePath() + (old == null || old.isEmpty() ? "" : ":" + old));
    }
    return env;
  }

  static String settingName(String[] s) {
    return "OPENBLAS_NUM_THREADS=" + (s[0].isEmpty() ? "default" : s[0]) + " torch threads=" + s[1];
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

  /** The torch script: under {@code kiln.home} (set by the {@code kiln} launcher), else relative to the current folder. */
  public static Path defaultScript() {
    Path rel = Path.of("samples/programs/src/main/python/bench_torch.py");
    String home = System.getProperty("kiln.home");
    return home != null ? Path.of(home).resolve(rel) : rel;
  }

  /** {@code TrainBenchmark [PAIRS [MODEL...]]}: all sides; every model when none is named. */
  public static void main(String[] args) throws Exception {
    int pairs = args.length > 0 ? Integer.parseInt(args[0]) : 5;
    List<String> models = args.length > 1 ? List.of(args).subList(1, args.length) : BenchModels.names();
    run(new Options(models, SIDES, pairs, null, null, defaultScript(), FashionMnist.DEFAULT_DIR, null,
        System.getenv("KILN_TORCH_BLAS") == null ? null : Path.of(System.getenv("KILN_TORCH_BLAS")), false), System.out);
  }
}
