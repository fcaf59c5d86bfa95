package dev.kiln.samples.bench;

import dev.kiln.runtime.train.StartupTrace;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Starts one benchmark run in a process of its own (a JVM running {@link TrainRun}, or {@code /usr/bin/python3}
 * running {@code bench_torch.py}) and reads its {@code RESULT} line. Start to first step is taken here, from
 * just before the process is started to the wall-clock time the run says its first step ended.
 */
final class SideProcess {
  private SideProcess() {}

  /** One run's figures. */
  record Run(double samplesPerSecond, double medianStepMs, double startToFirstStepS, double peakRssMb, List<String> startupTrace) {}

  /** Stands for the wall-clock launch time in a command; {@link #run} replaces it just before the start. */
  static final String LAUNCH_MS = "@LAUNCH_MS@";

  /** A run that did not finish: why, with the end of its output. */
  static final class Failed extends Exception {
    Failed(String message) { super(message); }
  }

  /** Seconds one run may take before it is stopped. */
  static final long TIMEOUT_S = 900;

  /** The command that runs JVM side {@code side} with this JVM's own java, options and class path. */
  static List<String> jvmCommand(String side, String model, int examples, int epochs, Path data) {
    List<String> cmd = new ArrayList<>();
    cmd.add(ProcessHandle.current().info().command().orElse("java"));
    // NOTE: the child gets this JVM's options (-D flags such as kiln.tf.* turn levers on and off for every side).
    for (String a : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
      // NOTE: the launcher's first run writes the AppCDS archive at exit; children only map it (-XX:SharedArchiveFile).
      if (!a.startsWith("-agentlib") && !a.startsWith("-javaagent") && !a.startsWith("-XX:ArchiveClassesAtExit")) cmd.add(a);
    }
    // NOTE: so the child's start-up trace (-Dkiln.startup.trace=true) counts from the same instant as this parent.
    cmd.add("-D" + StartupTrace.LAUNCH_PROPERTY + "=" + LAUNCH_MS);
    cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), TrainRun.class.getName(), side, model,
        String.valueOf(examples), String.valueOf(epochs), data.toString()));
    return cmd;
  }

  /** The command that runs the PyTorch side with {@code threads} torch threads. */
  static List<String> torchCommand(Path script, String model, int examples, int epochs, int threads, Path data) {
    return List.of("/usr/bin/python3", script.toString(), "--model", model, "--examples", String.valueOf(examples),
        "--epochs", String.valueOf(epochs), "--batch", String.valueOf(BenchModels.BATCH), "--lr", "1e-3",
        "--threads", String.valueOf(threads), "--data", data.toString());
  }

  /** Runs {@code command} with {@code env} added ("" as a value removes the variable) and parses its result. */
  static Run run(List<String> command, Map<String, String> env) throws Failed, IOException, InterruptedException {
    List<String> cmd = new ArrayList<>(command);
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
    env.forEach((k, v) -> {
      if (v.isEmpty()) pb.environment().remove(k);
      else pb.environment().put(k, v);
    });
    long launched = System.currentTimeMillis();
    cmd.replaceAll(a -> a.replace(LAUNCH_MS, String.valueOf(launched)));
    Process p = pb.start();
    // NOTE: read on another thread so a child that never ends cannot block the wait's timeout.
    StringBuilder output = new StringBuilder();
    Thread reader = new Thread(() -> {
      try {
        output.append(new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
      } catch (IOException e) {
        output.append("(output unreadable: ").append(e.getMessage()).append(')');
      }
    });
    reader.start();
    if (!p.waitFor(TIMEOUT_S, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      reader.join();
      throw new Failed("no result within " + TIMEOUT_S + " s");
    }
    reader.join();
    return parse(output.toString(), p.exitValue(), launched);
  }

  /** The run's figures from its output, or why there are none. */
  static Run parse(String output, int exitCode, long launchedWallMs) throws Failed {
    Map<String, Double> r = null;
    List<String> trace = new ArrayList<>();
    for (String line : output.split("\n")) {
      if (line.startsWith("kiln.startup ")) trace.add(line.substring("kiln.startup ".length()));
      if (!line.startsWith("RESULT ")) continue;
      r = new HashMap<>();
      for (String kv : line.substring(7).trim().split("\\s+")) {
        int eq = kv.indexOf('=');
        if (eq > 0) r.put(kv.substring(0, eq), Double.parseDouble(kv.substring(eq + 1)));
      }
    }
    if (exitCode != 0 || r == null || !r.containsKey("samples_per_s") || !r.containsKey("first_step_end_ms")) {
      String tail = output.strip();
      tail = tail.substring(Math.max(0, tail.length() - 600));
      throw new Failed("exit code " + exitCode + ", no RESULT line; output ends: " + tail);
    }
    return new Run(r.get("samples_per_s"), r.getOrDefault("median_step_ms", Double.NaN),
        (r.get("first_step_end_ms") - launchedWallMs) / 1000.0, r.getOrDefault("peak_rss_mb", Double.NaN), trace);
  }
}
