package dev.kiln.samples.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** What a benchmark's figures depend on, printed above them: date, CPU model and vector ISA, cores, load average. */
final class Machine {
  private Machine() {}

  static double loadAverage() {
    return ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
  }

  /** One line: UTC date and time, CPU model, its widest vector extensions, cores, load average. */
  static String describe() {
    String model = "unknown CPU";
    List<String> isa = new ArrayList<>();
    try {
      for (String line : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
        if (line.startsWith("model name") && model.equals("unknown CPU")) model = line.substring(line.indexOf(':') + 1).trim();
        if (line.startsWith("flags") && isa.isEmpty()) {
          List<String> flags = List.of(line.substring(line.indexOf(':') + 1).trim().split("\\s+"));
          for (String f : new String[] {"avx512f", "avx512_bf16", "amx_tile", "avx2", "fma", "avx"}) if (flags.contains(f)) isa.add(f);
        }
      }
    } catch (IOException e) {
      // NOTE: not Linux; the line says unknown
    }
    return String.format(Locale.ROOT, "%s UTC; %s (%s); %d cores; load average %.2f",
        Instant.now().truncatedTo(ChronoUnit.SECONDS), model, isa.isEmpty() ? "ISA unknown" : String.join(" ", isa),
        Runtime.getRuntime().availableProcessors(), loadAverage());
  }
}
