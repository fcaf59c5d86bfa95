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

  /** The {@code VmHWM:  123456 kB} line of a {@code /proc/PID/status} text, in MiB; NaN when there is none. */
  static double vmHwmMb(String status) {
    for (String line : status.split("\n")) {
      if (!line.startsWith("VmHWM:")) continue;
      String[] f = line.substring(6).trim().split("\\s+");
      return Long.parseLong(f[0]) / 1024.0;
    }
    return Double.NaN;
  }
}
