package dev.kiln.samples.bench;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

/**
 * Which BLAS library PyTorch runs its GEMMs in. Debian's torch 1.13 links the generic {@code libblas.so.3}, which
 * the alternatives system points at OpenBLAS when {@code libopenblas0-pthread} is installed and at the reference
 * netlib BLAS ({@code libblas3}) otherwise: on this machine 15-20x slower GEMMs (2-3 against 30-50 GFLOP/s,
 * 128x784x256, 2026-12-07), which would make any ratio against PyTorch meaningless. So the benchmark prints the
 * library and warns when it is the reference one.
 */
final class TorchBlas {
  private TorchBlas() {}

  private static final String PROBE = "import torch\n"
      + "torch.ones(64, 64) @ torch.ones(64, 64)\n"
      + "libs = sorted({l.split()[-1] for l in open('/proc/self/maps') if 'blas' in l.split()[-1]})\n"
      + "print('BLAS', ' '.join(libs) or 'none')\n";

  /** The BLAS shared objects mapped into a torch process started with {@code env}, or why they are unknown. */
  static String loaded(Map<String, String> env) {
    try {
      ProcessBuilder pb = new ProcessBuilder(List.of("/usr/bin/python3", "-c", PROBE)).redirectErrorStream(true);
      env.forEach((k, v) -> {
        if (v.isEmpty()) pb.environment().remove(k);
        else pb.environment().put(k, v);
      });
      Process p = pb.start();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      p.waitFor();
      for (String line : out.split("\n")) if (line.startsWith("BLAS ")) return line.substring(5).trim();
      return "unknown (" + out.strip() + ")";
    } catch (Exception e) {
      return "unknown (" + e.getMessage() + ")";
    }
  }

  /** A warning when {@code libs} is the reference BLAS and no OpenBLAS, MKL or BLIS; else null. */
  static String warning(String libs) {
    String l = libs.toLowerCase(java.util.Locale.ROOT);
    if (l.contains("openblas") || l.contains("mkl") || l.contains("blis")) return null;
    if (!l.contains("/blas/libblas.so")) return null;
    return "WARNING: torch runs on the reference netlib BLAS (Debian's libblas3), 15-20x slower GEMMs than OpenBLAS: "
        + "ratios against torch are not meaningful. Install libopenblas0-pthread, or pass --torch-blas DIR naming a folder "
        + "with OpenBLAS's libblas.so.3 (e.g. extracted with apt-get download libopenblas0-pthread; dpkg-deb -x).";
  }
}
