package dev.kiln.runtime.tf;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs {@link ConvSweep} once per oneDNN configuration, each in a child JVM (oneDNN fixes its ISA once
 * per process, and a faulty kernel may corrupt memory), and tabulates the verdicts: one column per
 * configuration, one row per case that failed or was refused anywhere. Configurations: oneDNN at the
 * CPU's native ISA, capped at AVX2, AVX and SSE4.1, and oneDNN off. NOTE: the children get
 * {@code TF_ENABLE_ONEDNN_OPTS=1} in their real environment, as the {@code kiln} launcher and Maven's
 * test runs do: with only Kiln's in-process setting TF rewrites the op types but runs convolutions
 * through Eigen on oneDNN's sgemm, and oneDNN's convolution kernels, the ones under test, do not run.
 */
public final class ConvSweepReport {
  private ConvSweepReport() {}

  /** A column: its name and the environment its child gets. */
  record Config(String name, String onednn, String isa) {}

  static final List<Config> CONFIGS = List.of(
      new Config("native", "1", "ALL"), new Config("AVX2", "1", "AVX2"), new Config("AVX", "1", "AVX"),
      new Config("SSE41", "1", "SSE41"), new Config("off", "0", null));

  /** What one configuration's child printed. */
  record Column(Config config, String status, String cpu, Map<String, String> verdicts, Map<String, String> details, String trouble) {}

  /** Runs every configuration and returns the report as Markdown. */
  public static String run(long timeoutSeconds) throws IOException, InterruptedException {
    List<Column> cols = new ArrayList<>();
    for (Config c : CONFIGS) cols.add(child(c, timeoutSeconds));
    return render(cols);
  }

  private static Column child(Config c, long timeoutSeconds) throws IOException, InterruptedException {
    String javaBin = System.getProperty("java.home") + File.separator + "bin" + File.separator + "java";
    ProcessBuilder pb = new ProcessBuilder(javaBin, "-cp", System.getProperty("java.class.path"), ConvSweep.class.getName());
    pb.environment().put("TF_ENABLE_ONEDNN_OPTS", c.onednn());
    pb.environment().put("TF_CPP_MIN_LOG_LEVEL", "2");
    pb.environment().remove("DNNL_MAX_CPU_ISA");
    if (c.isa() != null) pb.environment().put("ONEDNN_MAX_CPU_ISA", c.isa());
    else pb.environment().remove("ONEDNN_MAX_CPU_ISA");
    File out = File.createTempFile("kiln-sweep-", ".txt");
    out.deleteOnExit();
    pb.redirectErrorStream(true).redirectOutput(out);
    Process p = pb.start();
    String trouble = null;
    if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
      p.destroyForcibly().waitFor();
      trouble = "hung (killed after " + timeoutSeconds + " s)";
    }
    List<String> lines = Files.readAllLines(out.toPath(), StandardCharsets.UTF_8);
    Map<String, String> verdicts = new LinkedHashMap<>();
    Map<String, String> details = new LinkedHashMap<>();
    String status = "?";
    String cpu = "?";
    boolean done = false;
    for (String l : lines) {
      if (l.startsWith("CONFIG ")) status = l.substring(7);
      else if (l.startsWith("CPU ")) cpu = l.substring(4);
      else if (l.startsWith("DONE ")) done = true;
      else if (l.startsWith("CASE ")) {
        String[] f = l.substring(5).split("\t", -1);
        verdicts.put(f[0], f[1]);
        if (!f[2].isEmpty()) details.put(f[0], f[2]);
      }
    }
    if (trouble == null && (!done || p.exitValue() != 0)) trouble = "died (exit " + p.exitValue() + ") after " + verdicts.size() + " cases";
    return new Column(c, status, cpu, verdicts, details, trouble);
  }

  private static String render(List<Column> cols) {
    StringBuilder s = new StringBuilder();
    s.append("CPU: ").append(cols.get(0).cpu()).append("\n\n");
    s.append("| configuration | TF/oneDNN settings | pass | FAIL | refused |\n|---|---|---|---|---|\n");
    for (Column c : cols) {
      s.append("| ").append(c.config().name()).append(" | ").append(c.status()).append(" | ")
          .append(count(c, "pass")).append(" | ").append(count(c, "FAIL")).append(" | ").append(count(c, "refused"))
          .append(c.trouble() == null ? "" : " (" + c.trouble() + ")").append(" |\n");
    }
    List<String> rows = new ArrayList<>();
    for (Column c : cols) {
      for (Map.Entry<String, String> e : c.verdicts().entrySet()) {
        if (e.getValue().equals("FAIL") && !rows.contains(e.getKey())) rows.add(e.getKey());
      }
    }
    s.append("\nCases wrong in some configuration:\n\n");
    if (rows.isEmpty()) s.append("none\n");
    else {
      s.append("| case |");
      for (Column c : cols) s.append(' ').append(c.config().name()).append(" |");
      s.append("\n|---|");
      s.append("---|".repeat(cols.size())).append('\n');
      for (String r : rows) {
        s.append("| `").append(r).append("` |");
        for (Column c : cols) s.append(' ').append(c.verdicts().getOrDefault(r, "-")).append(" |");
        s.append('\n');
      }
      s.append('\n');
      for (String r : rows) {
        for (Column c : cols) {
          if ("FAIL".equals(c.verdicts().get(r))) s.append("- ").append(c.config().name()).append(": ").append(c.details().get(r)).append('\n');
        }
      }
    }
    return s.toString();
  }

  private static long count(Column c, String verdict) { return c.verdicts().values().stream().filter(verdict::equals).count(); }

  /** Prints the report (Markdown) to standard output. */
  public static void main(String[] args) throws Exception {
    System.out.print(run(args.length > 0 ? Long.parseLong(args[0]) : 600));
  }
}
