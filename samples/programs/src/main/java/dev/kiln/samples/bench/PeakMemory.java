package dev.kiln.samples.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Peak resident memory of this process ({@code VmHWM} in {@code /proc/self/status}, Linux). */
final class PeakMemory {
  private PeakMemory() {}

  /** Peak resident set in MiB, or NaN where {@code /proc} is not there. */
  static double selfMb() {
    try {
      return vmHwmMb(Files.readString(Path.of("/proc/self/status")));
    } catch (IOException | RuntimeException e) {
      return Double.NaN;
    }
  }

  /**
   * Where this process's resident memory is now: peak and current resident set, its anonymous part (Java heap,
   * metaspace, native allocations such as TF's) and its file-backed part (mapped libraries, e.g. libtensorflow_cc's
   * touched pages, jars, the CDS archive), and the Java heap's used and committed sizes, in MiB.
   */
  static String breakdown() {
    String status;
    try {
      status = Files.readString(Path.of("/proc/self/status"));
    } catch (IOException | RuntimeException e) {
      status = "";
    }
    Runtime rt = Runtime.getRuntime();
    return String.format(java.util.Locale.ROOT, "VmHWM %.0f, VmRSS %.0f = RssAnon %.0f + RssFile %.0f + RssShmem %.0f MiB; "
        + "Java heap used %.0f of %.0f MiB committed", vmHwmMb(status), field(status, "VmRSS:"), field(status, "RssAnon:"),
        field(status, "RssFile:"), field(status, "RssShmem:"), (rt.totalMemory() - rt.freeMemory()) / 1048576.0,
        rt.totalMemory() / 1048576.0);
  }

  /** The {@code VmHWM:  123456 kB} line of a {@code /proc/PID/status} text, in MiB; NaN when there is none. */
  static double vmHwmMb(String status) { return field(status, "VmHWM:"); }

  /** A {@code NAME:  123456 kB} line of a {@code /proc/PID/status} text, in MiB; NaN when there is none. */
  static double field(String status, String name) {
    for (String line : status.split("\n")) {
      if (!line.startsWith(name)) continue;
      String[] f = line.substring(name.length()).trim().split("\\s+");
      return Long.parseLong(f[0]) / 1024.0;
    }
    return Double.NaN;
  }
}
