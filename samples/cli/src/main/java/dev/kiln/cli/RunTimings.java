package dev.kiln.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * What {@code kiln run --timings} prints: the seconds to load the model (for TensorFlow: import, lowering, session
 * and weights; for ONNX Runtime: its session), the seconds of the first run, and the process's peak resident memory
 * ({@code VmHWM} of {@code /proc/self/status}: the JVM heap and native memory together, so the two engines compare
 * fairly). {@code scripts/bench-import} runs each engine in a fresh process and collects these lines.
 */
final class RunTimings {
  private final long start = System.nanoTime();
  private long loaded;
  private long ran;

  /** Marks the model loaded (ready to run). */
  void loaded() { loaded = System.nanoTime(); }

  /** Marks the first run finished. */
  void ran() { ran = System.nanoTime(); }

  /** One line: {@code timings: engine=E load_s=.. first_run_s=.. peak_rss_mb=..} (peak -1 where /proc is absent). */
  void print(PrintWriter err, String engine) {
    err.printf(Locale.ROOT, "timings: engine=%s load_s=%.2f first_run_s=%.2f peak_rss_mb=%d%n", engine,
        (loaded - start) / 1e9, (ran - loaded) / 1e9, peakRssMb());
    err.flush();
  }

  /** The process's peak resident set in MiB, from {@code VmHWM}; -1 where the kernel does not report it. */
  static long peakRssMb() {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
        if (line.startsWith("VmHWM:")) return Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024;
      }
    } catch (IOException | NumberFormatException e) {
      return -1;  // not Linux: the figure is simply not available
    }
    return -1;
  }
}
