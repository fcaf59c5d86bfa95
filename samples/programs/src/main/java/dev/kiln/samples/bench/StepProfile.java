package dev.kiln.samples.bench;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * {@code kiln bench --profile}: where one training step's time goes, per op, on Kiln's TensorFlow back end, in the
 * hand-written TF-Java step (MLP and LeNet-5) and in PyTorch, for the same model, batch and data. Kiln's side is
 * {@link TrainRun} with {@code -Dkiln.tf.profile=N} (TF's {@code FULL_TRACE} of N steps after 10 warm-up steps,
 * summed per kernel type, plus the host phases of the step: see the TF back end's {@code TfStepProfile}); the
 * hand-written step is traced and timed by the same class; PyTorch's side is {@code bench_torch.py --profile N}
 * ({@code torch.profiler}, self CPU time per op). Each runs in a fresh process; the tables are printed as the
 * processes wrote them, with the load average, so that a figure's conditions travel with it.
 */
public final class StepProfile {
  private StepProfile() {}

  /** Steps profiled on each side. */
  static final int STEPS = 20;
  /** Warm-up steps before the first profiled one, on both sides (TfStepProfile.WARMUP, bench_torch.WARMUP). */
  static final int WARMUP = 10;
  /** Untraced steps after the traced ones, over which Kiln's host phases are timed (PyTorch ignores the rest). */
  static final int HOST_STEPS = 60;

  /** Profiles {@code model} on both sides; {@code torch}: {OPENBLAS_NUM_THREADS or "", torch threads}, or null to skip PyTorch. */
  public static void run(String model, Path script, Path data, String[] torch, Path torchBlas, PrintStream out) throws Exception {
    BenchModels.model(model);
    int examples = BenchModels.BATCH * (WARMUP + STEPS + HOST_STEPS + 1);
    out.printf(Locale.ROOT, "Per-op profile of one training step, %s, batch %d, Adam; %s%n", model, BenchModels.BATCH, Machine.describe());
    List<String> jvm = new ArrayList<>(SideProcess.jvmCommand(TrainRun.KILN_TF, model, examples, 1, data));
    jvm.add(1, "-Dkiln.tf.profile=" + STEPS);
    out.print(profileLines(jvm, Map.of()));
    if (TfReference.supports(model)) {  // the hand-written step, traced and timed by the same code
      List<String> ref = new ArrayList<>(SideProcess.jvmCommand(TrainRun.TF_JAVA, model, examples, 1, data));
      ref.add(1, "-Dkiln.tf.profile=" + STEPS);
      out.print(profileLines(ref, Map.of()));
    }
    if (torch != null && Files.exists(script) && TrainBenchmark.torchAvailable()) {
      List<String> py = new ArrayList<>(SideProcess.torchCommand(script, model, examples, 1, Integer.parseInt(torch[1]), data));
      py.addAll(List.of("--profile", String.valueOf(STEPS)));
      out.println("torch setting: " + TrainBenchmark.settingName(torch));
      out.print(profileLines(py, TrainBenchmark.torchEnv(torchBlas, torch[0])));
    } else {
      out.println("torch: left out (needs /usr/bin/python3 with torch and " + script + ")");
    }
    out.printf(Locale.ROOT, "load average at the end %.2f%n", Machine.loadAverage());
  }

  /** Runs {@code command} and returns its output from the first PROFILE line on (or all of it, when it failed). */
  static String profileLines(List<String> command, Map<String, String> env) throws IOException, InterruptedException {
    ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
    env.forEach((k, v) -> {
      if (v.isEmpty()) pb.environment().remove(k);
      else pb.environment().put(k, v);
    });
    Process p = pb.start();
    StringBuilder output = new StringBuilder();
    Thread reader = new Thread(() -> {
      try {
        output.append(new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
      } catch (IOException e) {
        output.append("(output unreadable: ").append(e.getMessage()).append(')');
      }
    });
    reader.start();
    if (!p.waitFor(SideProcess.TIMEOUT_S, TimeUnit.SECONDS)) p.destroyForcibly().waitFor();
    reader.join();
    String all = output.toString();
    int at = all.indexOf("PROFILE ");
    if (p.exitValue() != 0 || at < 0) return "profile run failed (exit " + p.exitValue() + "): " + all.strip() + "\n";
    StringBuilder s = new StringBuilder();
    for (String line : all.substring(at).split("\n")) if (!line.startsWith("RESULT ")) s.append(line).append('\n');
    return s.toString();
  }
}
