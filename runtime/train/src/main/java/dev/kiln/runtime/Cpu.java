package dev.kiln.runtime;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** The machine's CPU as Linux reports it, for warnings and reports that must name it. */
public final class Cpu {
  private Cpu() {}

  /** The model name and its widest x86 vector extension, e.g. {@code AMD EPYC (AVX2)}. */
  public static String describe() {
    try {
      String info = Files.readString(Path.of("/proc/cpuinfo"));
      String model = info.lines().filter(l -> l.startsWith("model name")).findFirst()
          .map(l -> l.substring(l.indexOf(':') + 1).trim()).orElse(System.getProperty("os.arch"));
      String flags = " " + info.lines().filter(l -> l.startsWith("flags")).findFirst().orElse("") + " ";
      String widest = flags.contains(" avx512f ") ? "AVX-512" : flags.contains(" avx2 ") ? "AVX2" : flags.contains(" avx ") ? "AVX" : "SSE";
      return model + " (" + widest + ")";
    } catch (IOException | RuntimeException e) {
      return System.getProperty("os.arch") + " (CPU model unknown)";
    }
  }
}
